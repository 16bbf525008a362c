"""A child's whole journey: arrival, referral episodes and the person-level rows."""

from __future__ import annotations

import random

from annexa.source.synthetic.base import Child
from annexa.source.synthetic.common import add_mo
from annexa.source.synthetic.leaving_care import LeavingCare
from annexa.source.synthetic.referrals import Referrals


class Sim(Referrals, LeavingCare):
    """Simulates children and appends their rows (national codes, ordinals) to ``batch``."""

    def new_child(self, rng: random.Random, kind: str, arrival: int) -> Child:
        q = self.p.people
        pid, legacy = self.ids.person()
        edd = None
        if kind == "prebirth":
            dob = arrival + q.prebirth_birth_after_days.draw(rng)
            edd = dob + q.expected_birth_offset_days.draw(rng)
            age = -1
        elif kind == "uasc":
            age = q.uasc_min_age + min(q.uasc_age_extra_max, int(rng.expovariate(q.uasc_age_rate)))
            dob = arrival - age * 365 - int(rng.random() * 365)
        elif kind == "disabled":
            age = q.disabled_age.draw(rng)
            dob = arrival - age * 365 - int(rng.random() * 365)
        else:
            age = q.age_at_arrival.pick(rng.random())
            dob = arrival - age * 365 - int(rng.random() * 365)
        u = rng.random()
        gender = q.uasc_gender.pick(rng) if kind == "uasc" else q.gender.pick(u)
        eth = (
            self.p.codes.uasc_ethnicity.pick(rng.random())
            if kind == "uasc"
            else self.p.codes.ethnicity.pick(rng.random())
        )
        disab = self._disabilities(rng, kind)
        return Child(
            pid, legacy, dob, edd, gender, eth, kind, disab, add_mo(dob, 216), uasc=kind == "uasc"
        )

    def _disabilities(self, rng: random.Random, kind: str) -> tuple[str, ...] | None:
        """Disability codes recorded for the child (None: not recorded; ("NONE",): none)."""
        q = self.p.people
        if kind == "disabled":
            codes = [self.p.codes.disability.pick(rng.random())]
            if rng.random() < q.p_second_disability:
                codes.append(self.p.codes.disability.pick(rng.random()))
            return tuple(dict.fromkeys(codes))
        what = (q.disability_contact_only if kind == "contact" else q.disability_referred).pick(
            rng.random()
        )
        if what == "unrecorded":
            return None
        if what == "none":
            return ("NONE",)
        return (self.p.codes.disability.pick(rng.random()),)

    def run_child(self, rng: random.Random, kind: str, arrival: int) -> None:
        c = self.new_child(rng, kind, arrival)
        if kind == "contact":
            self.contact_only(rng, c, arrival)
        else:
            self._referral_episodes(rng, c, arrival)
        self.finish_child(rng, c)

    def _referral_episodes(self, rng: random.Random, c: Child, arrival: int) -> None:
        """Referral after referral until one stays open, the child turns 18, or none follows."""
        q = self.p.referrals
        t = arrival
        first = True
        while t <= self.A and t < c.d18:
            close, outcome = self.episode(rng, c, t, first)
            first = False
            if close is None or close > self.A or c.death is not None:
                break
            p = q.p_rereferral_after_cp if c.cp_plans else q.p_rereferral
            if outcome == "adopted" or outcome == "adult" or outcome == "sgo":
                p = q.p_rereferral_after_permanence
            if rng.random() >= p:
                break
            t = close + 1 + self.lognorm(rng, q.rereferral_gap_median_days, q.rereferral_gap_sigma)

    def finish_child(self, rng: random.Random, c: Child) -> None:
        """Care-leaver status, person-level rows; append the child's rows to the batch if kept."""
        self.care_leaver(rng, c)
        if c.perm is not None and c.perm_ref in c.kept_refs:
            c.rows.setdefault("ssd_permanence", []).append(c.perm)
        if not c.rows:
            return
        A = self.A
        born = c.dob <= A
        gender = c.gender if born else "U"
        if gender == "I" and c.rows.get("ssd_cla_episodes"):
            # a looked-after child's sex is recorded: the SSDA903 reports U for an indeterminate
            # one, which DfE's rule 232 rejects; chosen by the id, no random draw
            gender = "MF"[int(c.id) % 2]
        edd = c.edd
        if edd is not None and not born and edd <= A:
            edd = A + 1 + (c.dob - A) % 10
        c.rows.setdefault("ssd_person", []).append(
            (c.id, c.legacy, gender, gender, c.eth, c.dob if born else None, edd, self.m(c.death))
        )
        if c.disab:
            rows = c.rows.setdefault("ssd_disability", [])
            for code in c.disab:
                rows.append((self.ids.new("ssd_disability"), c.id, code))
        self._immigration(rng, c)
        for table, rows in c.rows.items():
            self.batch.setdefault(table, []).extend(rows)

    def _immigration(self, rng: random.Random, c: Child) -> None:
        """UASC status while in care under 18; occasionally another status for other children."""
        A = self.A
        if c.uasc and c.care:
            s = c.care[0][0]
            if s <= A:
                d18 = c.d18
                rows = c.rows.setdefault("ssd_immigration_status", [])
                rows.append((self.ids.new("ssd_immigration_status"), c.id, "UASC", s, self.m(d18)))
                if d18 <= A:
                    rows.append((self.ids.new("ssd_immigration_status"), c.id, "OTHER", d18, None))
        elif c.eth in ("BAFR", "AOTH", "OOTH") and rng.random() < self.p.people.p_other_immigration:
            first = min(r[2] for r in c.rows.get("ssd_contacts", [(None, None, A)]))
            c.rows.setdefault("ssd_immigration_status", []).append(
                (self.ids.new("ssd_immigration_status"), c.id, "OTHER", first, None)
            )
