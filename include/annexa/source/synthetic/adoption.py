"""Permanence records and adopters."""

from __future__ import annotations

import random
from typing import Any

from annexa.source.synthetic import codes as K
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
        s2e = anchor - 20 - int(rng.random() * 280)
        fam = self.new_family(rng, s2e, ffa)
        fam.matched, fam.placed, fam.children, fam.order = matched, placed, 1, order
        return fam.id

    def new_family(self, rng: random.Random, s2e: int, ffa: bool) -> Family:
        s2s = s2e - 100 - int(rng.random() * 60)
        s1e = s2s - int(rng.random() * 45)
        s1s = s1e - 45 - int(rng.random() * 25)
        enq = s1s - 7 - int(rng.random() * 140)
        fam = Family(
            self.ids.family(), rng.random() < 0.7, ffa, rng.random() < 0.05, enq, s1s, s1e, s2s, s2e
        )
        self.families.append(fam)
        return fam

    def independent_families(self, rng: random.Random, per_year: float) -> None:
        """Adopters not matched with a Synthshire child: in process, left, other LAs' children."""
        first = self.ws - 3 * 365
        n = int(per_year * (self.A - first) / 365.0)
        for _ in range(n):
            s1s = first + int(rng.random() * (self.A - first))
            s1e = s1s + 45 + int(rng.random() * 25)
            s2s = s1e + int(rng.random() * 45)
            s2e = s2s + 100 + int(rng.random() * 60)
            fam = self.new_family(rng, s2e, rng.random() < 0.08)
            u = rng.random()
            if u < 0.22:
                fam.left = s1s + 10 + int(rng.random() * 60)
                fam.reason = "1" if rng.random() < 0.6 else "2" if rng.random() < 0.5 else "3"
                fam.s1e = fam.s2s = fam.s2e = None
            elif u < 0.36:
                fam.left = s2s + 20 + int(rng.random() * 120)
                fam.reason = "1" if rng.random() < 0.4 else "2" if rng.random() < 0.5 else "3"
                fam.s2e = fam.left if fam.reason == "3" else None
            elif u < 0.82:
                fam.matched = s2e + 30 + int(rng.random() * 400)
                fam.placed = fam.matched + 7 + int(rng.random() * 35)
                v = rng.random()
                fam.children = 1 if v < 0.8 else 2 if v < 0.97 else 3
                fam.order = fam.placed + 120 + int(rng.random() * 300)
            elif u < 0.9:
                fam.left = s2e + 200 + int(rng.random() * 500)
                fam.reason = "2" if rng.random() < 0.6 else "1"

    def adopter_rows(self, rng: random.Random) -> list[Row]:
        m, A, ws = self.m, self.A, self.ws
        out: list[Row] = []
        for f in self.families:
            dates = [
                d
                for d in (
                    f.enquiry,
                    f.s1s,
                    f.s1e,
                    f.s2s,
                    f.s2e,
                    f.matched,
                    f.placed,
                    f.order,
                    f.left,
                )
                if d is not None and d <= A
            ]
            if not dates or (f.s1s > A) or (max(dates) < ws and f.id not in self.kept_families):
                continue
            if f.older:
                s1s = s1e = s2s = s2e = None
                app, appr = m(f.s1s), m(f.s2e)
            else:
                s1s, s1e, s2s, s2e = m(f.s1s), m(f.s1e), m(f.s2s), m(f.s2e)
                app = appr = None
            placed = m(f.placed)
            left = m(f.left)
            sexes = (
                (
                    ("M", "F")
                    if rng.random() < 0.85
                    else ("F", "F")
                    if rng.random() < 0.6
                    else ("M", "M")
                )
                if f.couple
                else ("F" if rng.random() < 0.8 else "M",)
            )
            for sex in sexes:
                out.append(
                    (
                        self.ids.adopter(),
                        f.id,
                        sex,
                        K.ADOPTER_ETHNICITY.pick(rng.random()),
                        "Y" if rng.random() < 0.04 else "N",
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
