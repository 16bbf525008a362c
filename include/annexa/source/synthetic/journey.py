"""A child's whole journey: arrival, referral episodes and the person-level rows."""

from __future__ import annotations

import random

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.base import Child
from annexa.source.synthetic.common import add_mo
from annexa.source.synthetic.leaving_care import LeavingCare
from annexa.source.synthetic.referrals import Referrals

_AGES = K.W(
    [
        (a, w)
        for a, w in enumerate(
            (9, 5, 5, 5, 5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 6, 6.5, 7, 7, 5.5, 3.5)
        )
    ]
)


class Sim(Referrals, LeavingCare):
    """Simulates children and appends their rows (national codes, ordinals) to ``batch``."""

    def new_child(self, rng: random.Random, kind: str, arrival: int) -> Child:
        pid, legacy = self.ids.person()
        edd = None
        if kind == "prebirth":
            dob = arrival + 30 + int(rng.random() * 130)
            edd = dob + int(rng.random() * 29) - 14
            age = -1
        elif kind == "uasc":
            age = 14 + min(3, int(rng.expovariate(0.9)))
            dob = arrival - age * 365 - int(rng.random() * 365)
        elif kind == "disabled":
            age = 1 + int(rng.random() * 15)
            dob = arrival - age * 365 - int(rng.random() * 365)
        else:
            age = _AGES.pick(rng.random())
            dob = arrival - age * 365 - int(rng.random() * 365)
        u = rng.random()
        gender = (
            ("M" if rng.random() < 0.9 else "F")
            if kind == "uasc"
            else "M"
            if u < 0.51
            else "F"
            if u < 0.997
            else "I"
        )
        eth = (
            K.UASC_ETHNICITY.pick(rng.random())
            if kind == "uasc"
            else K.ETHNICITY.pick(rng.random())
        )
        if kind == "disabled":
            codes = [K.DISABILITY.pick(rng.random())]
            if rng.random() < 0.35:
                codes.append(K.DISABILITY.pick(rng.random()))
            disab: tuple[str, ...] | None = tuple(dict.fromkeys(codes))
        elif kind == "contact":
            v = rng.random()
            disab = (
                None if v < 0.7 else ("NONE",) if v < 0.98 else (K.DISABILITY.pick(rng.random()),)
            )
        else:
            v = rng.random()
            disab = (
                None if v < 0.3 else ("NONE",) if v < 0.93 else (K.DISABILITY.pick(rng.random()),)
            )
        return Child(
            pid, legacy, dob, edd, gender, eth, kind, disab, add_mo(dob, 216), uasc=kind == "uasc"
        )

    def run_child(self, rng: random.Random, kind: str, arrival: int) -> None:
        c = self.new_child(rng, kind, arrival)
        if kind == "contact":
            self.contact_only(rng, c, arrival)
        else:
            t = arrival
            first = True
            while t <= self.A and t < c.d18:
                close, outcome = self.episode(rng, c, t, first)
                first = False
                if close is None or close > self.A or c.death is not None:
                    break
                p = (
                    self.p.referrals.p_rereferral_after_cp
                    if c.cp_plans
                    else self.p.referrals.p_rereferral
                )
                if outcome == "adopted" or outcome == "adult" or outcome == "sgo":
                    p = 0.03
                if rng.random() >= p:
                    break
                t = (
                    close
                    + 1
                    + self.lognorm(
                        rng,
                        self.p.referrals.rereferral_gap_median_days,
                        self.p.referrals.rereferral_gap_sigma,
                    )
                )
        self.finish_child(rng, c)

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
        if c.uasc and c.care:
            s = c.care[0][0]
            if s <= A:
                d18 = c.d18
                rows = c.rows.setdefault("ssd_immigration_status", [])
                rows.append((self.ids.new("ssd_immigration_status"), c.id, "UASC", s, self.m(d18)))
                if d18 <= A:
                    rows.append((self.ids.new("ssd_immigration_status"), c.id, "OTHER", d18, None))
        elif c.eth in ("BAFR", "AOTH", "OOTH") and rng.random() < 0.04:
            first = min(r[2] for r in c.rows.get("ssd_contacts", [(None, None, A)]))
            c.rows.setdefault("ssd_immigration_status", []).append(
                (self.ids.new("ssd_immigration_status"), c.id, "OTHER", first, None)
            )
        for table, rows in c.rows.items():
            self.batch.setdefault(table, []).extend(rows)
