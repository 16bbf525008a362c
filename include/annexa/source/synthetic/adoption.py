"""Permanence records and adopters."""

from __future__ import annotations

import random
from typing import Any

from annexa.source.synthetic.base import Child, Family, Stage
from annexa.source.synthetic.common import Row


class Adoption(Stage):
    """Permanence (List 10) and adopter households (List 11)."""

    def permanence(self, c: Child, period: str, perm: dict[str, Any], ref: str) -> None:
        m = self.m
        adm = m(perm.get("adm"))
        order = m(perm.get("order"))
        if adm is None and order is None:
            return
        matched = m(perm.get("matched"))
        by_carer = perm.get("by_carer")
        fam = perm.get("family") if matched is not None else None
        otype = perm.get("type") if order is not None else None
        ffa = m(perm.get("ffa"))
        c.perm = (
            self.ids.new("ssd_permanence"),
            c.id,
            period,
            adm,
            m(perm.get("po")),
            matched,
            m(perm.get("placed")),
            ffa,
            m(perm.get("rev")),
            perm.get("rev_reason") if m(perm.get("rev")) is not None else None,
            order,
            otype,
            ("Y" if by_carer else "N") if otype == "ADOPTION" else None,
            m(perm.get("fc_date")) if (by_carer and otype == "ADOPTION") else None,
            m(perm.get("ffa_dec")),
            fam,
        )
        c.perm_ref = ref
        if fam is not None:
            self.kept_families.add(fam)

    def own_family(
        self,
        rng: random.Random,
        matched: int,
        placed: int,
        order: int,
        ffa: bool,
        ffa_at: int | None,
    ) -> str:
        """The Synthshire adopters a child is matched with (the List 11 side of List 10)."""
        anchor = ffa_at if ffa and ffa_at is not None else matched
        s2e = anchor - self.p.adoption.approved_before_match_days.draw(rng)
        fam = self.new_family(rng, s2e, ffa)
        fam.matched, fam.placed, fam.children, fam.order = matched, placed, 1, order
        return fam.id

    def new_family(self, rng: random.Random, s2e: int, ffa: bool) -> Family:
        """A household approved on ``s2e``, its stages dated backwards from approval."""
        q = self.p.adoption
        s2s = s2e - q.stage2_days.draw(rng)
        s1e = s2s - q.between_stages_days.draw(rng)
        s1s = s1e - q.stage1_days.draw(rng)
        enq = s1s - q.enquiry_before_days.draw(rng)
        couple = rng.random() < q.p_couple
        older = rng.random() < q.p_older_process
        fam = Family(self.ids.family(), couple, ffa, older, enq, s1s, s1e, s2s, s2e)
        self.families.append(fam)
        return fam

    def independent_families(self, rng: random.Random, per_year: float) -> None:
        """Adopters not matched with a Synthshire child: in process, left, other LAs' children."""
        q = self.p.adoption
        first = self.ws - q.independent_before_window_years * 365
        n = int(per_year * (self.A - first) / 365.0)
        for _ in range(n):
            s1s = first + int(rng.random() * (self.A - first))
            s1e = s1s + q.stage1_days.draw(rng)
            s2s = s1e + q.between_stages_days.draw(rng)
            s2e = s2s + q.stage2_days.draw(rng)
            fam = self.new_family(rng, s2e, rng.random() < q.p_ffa_approved)
            self._independent_outcome(rng, fam, s1s, s2s, s2e)

    def _independent_outcome(
        self, rng: random.Random, fam: Family, s1s: int, s2s: int, s2e: int
    ) -> None:
        """Left in stage 1 or 2, matched with another LA's child, left after approval, waiting."""
        q = self.p.adoption
        what = q.independent_outcome.pick(rng.random())
        if what == "left_stage1":
            fam.left = s1s + q.left_stage1_days.draw(rng)
            fam.reason = q.left_stage1_reason.pick(rng)
            fam.s1e = fam.s2s = fam.s2e = None
        elif what == "left_stage2":
            fam.left = s2s + q.left_stage2_days.draw(rng)
            fam.reason = q.left_stage2_reason.pick(rng)
            fam.s2e = fam.left if fam.reason == "3" else None
        elif what == "matched":
            fam.matched = s2e + q.matched_after_approval_days.draw(rng)
            fam.placed = fam.matched + q.placed_after_match_days.draw(rng)
            fam.children = q.children_placed.pick(rng.random())
            fam.order = fam.placed + q.order_after_placement_days.draw(rng)
        elif what == "left_approved":
            fam.left = s2e + q.left_approved_days.draw(rng)
            fam.reason = q.left_approved_reason.pick(rng)

    def adopter_rows(self, rng: random.Random) -> list[Row]:
        """One row per adopter of every household active in (or linked to) the window."""
        out: list[Row] = []
        for f in self.families:
            if self._adopters_kept(f):
                out.extend(self._household_rows(rng, f))
        return out

    def _adopters_kept(self, f: Family) -> bool:
        A = self.A
        steps = (f.enquiry, f.s1s, f.s1e, f.s2s, f.s2e, f.matched, f.placed, f.order, f.left)
        dates = [d for d in steps if d is not None and d <= A]
        return not (
            not dates or (f.s1s > A) or (max(dates) < self.ws and f.id not in self.kept_families)
        )

    def _household_rows(self, rng: random.Random, f: Family) -> list[Row]:
        q, m = self.p.adoption, self.m
        if f.older:
            s1s = s1e = s2s = s2e = None
            app, appr = m(f.s1s), m(f.s2e)
        else:
            s1s, s1e, s2s, s2e = m(f.s1s), m(f.s1e), m(f.s2s), m(f.s2e)
            app = appr = None
        placed = m(f.placed)
        left = m(f.left)
        sexes = tuple(q.couple_sexes.pick(rng) if f.couple else q.single_sex.pick(rng))
        out: list[Row] = []
        for sex in sexes:
            out.append(
                (
                    self.ids.adopter(),
                    f.id,
                    sex,
                    self.p.codes.adopter_ethnicity.pick(rng.random()),
                    "Y" if rng.random() < q.p_adopter_disabled else "N",
                    self.yn(f.ffa),
                    m(f.enquiry),
                    s1s,
                    s1e,
                    s2s,
                    s2e,
                    app,
                    appr,
                    m(f.matched),
                    placed,
                    f.children if placed is not None else None,
                    m(f.order),
                    left,
                    f.reason if left is not None else None,
                )
            )
        return out
