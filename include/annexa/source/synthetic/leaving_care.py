"""Care leavers: eligibility, personal advisers and the care-leaver record."""

from __future__ import annotations

import random

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.base import Child, Stage
from annexa.source.synthetic.common import add_mo
from annexa.source.synthetic.workforce import Segment


class LeavingCare(Stage):
    """Leaving-care status at the as-at date."""

    def care_leaver(self, rng: random.Random, c: Child) -> None:
        """Leaving-care eligibility, personal adviser and the care-leaver record (List 9)."""
        if not c.care:
            return
        A = self.A
        d14, d16, d18 = add_mo(c.dob, 168), add_mo(c.dob, 192), c.d18
        # 13 weeks looked after since 14 and still looked after at 16 or later -> eligible
        acc = 0
        elig_at = None
        for s, e in sorted(c.care):
            a, b = max(s, d14), min(e, d18)
            if b > a:
                if acc + (b - a) >= 91 and elig_at is None:
                    elig_at = a + (91 - acc)
                acc += b - a
        in_care_16 = [(s, e) for s, e in c.care if e > d16 and s < d18]
        if not in_care_16:
            return
        last_end = max(e for s, e in in_care_16)
        eligible = elig_at is not None and elig_at < last_end
        if eligible:
            assert elig_at is not None
            pa_start = max(d16, elig_at)
        else:
            pa_start = last_end  # qualifying: advice and assistance after leaving care
        if pa_start > A or c.death is not None and c.death <= pa_start:
            return
        long_support = rng.random() < 0.35
        pa_end = add_mo(c.dob, 300 if long_support else 252)
        if not eligible:
            pa_end = add_mo(c.dob, 252)
        age_a = self.age(c, A)
        in_care_at_a = any(s <= A < e for s, e in c.care)
        if c.death is not None:
            pa_end = min(pa_end, c.death)
        if pa_end < self.ws:
            return
        seg = Segment(rng, self.wf, "LC", "16PLUS", pa_start, c.last_ref, None, A)
        seg.end = pa_end
        self.involvements(c, None, seg)
        # status at the as-at date
        if not eligible:
            elig = "QUALIFYING" if age_a < 21 else "NONE"
        elif in_care_at_a and age_a < 18:
            elig = "ELIGIBLE"
        elif age_a < 18:
            elig = "RELEVANT"
        elif pa_end > A:
            elig = "FORMER_RELEVANT"
        else:
            elig = "NONE"
        if c.death is not None and c.death <= A:
            touch = "DIED"
        elif elig == "NONE":
            touch = "NREQ" if rng.random() < 0.6 else "NO"
        elif in_care_at_a:
            touch = "YES" if rng.random() < 0.98 else "REFU"
        else:
            u = rng.random()
            base = 0.97 if age_a < 18 else 0.88 if age_a < 22 else 0.76
            touch = (
                "YES"
                if u < base
                else "NO"
                if u < base + (1 - base) * 0.45
                else "REFU"
                if u < base + (1 - base) * 0.65
                else "NREQ"
                if u < base + (1 - base) * 0.85
                else "RHOM"
            )
        end_ref = min(pa_end, A)
        if touch == "YES":
            latest = A - int(rng.random() * 75)
        elif elig == "NONE":
            latest = end_ref - int(rng.random() * 60)
        else:
            latest = A - 90 - int(rng.random() * 300)
        latest = max(latest, pa_start)
        accom = suit = act = None
        if touch == "YES":
            accom = (K.ACCOM_16 if age_a < 18 else K.ACCOM_18).pick(rng.random())
            unsuitable = accom in K.UNSUITABLE_USUALLY and rng.random() < 0.8 or rng.random() < 0.05
            suit = "2" if unsuitable else "1"
            act = (K.ACTIVITY_16 if age_a < 18 else K.ACTIVITY_18).pick(rng.random())
        u = rng.random()
        if elig == "NONE":
            review = end_ref - 30 - int(rng.random() * 150) if u < 0.7 else None
        else:
            review = (
                A - int(rng.random() * 180)
                if u < 0.8
                else A - 181 - int(rng.random() * 220)
                if u < 0.95
                else None
            )
        if review is not None and review < pa_start:
            review = None
        pa = seg.worker_at(end_ref)
        pa_id: str | None = pa.prof_id if rng.random() > 0.03 or elig == "NONE" else None
        if in_care_at_a and age_a < 18 and c.last_cw is not None and c.last_cw.end is None:
            cw = c.last_cw.slot_at(A)
            team, worker = cw.team_id, cw.at(A).prof_id
        else:
            team, worker = seg.slot_at(end_ref).team_id, pa.prof_id
        rows = c.rows.setdefault("ssd_care_leavers", [])
        rows.append(
            (
                self.ids.new("ssd_care_leavers"),
                c.id,
                elig,
                touch,
                latest,
                accom,
                suit,
                act,
                review,
                pa_id,
                team,
                worker,
            )
        )
        if rng.random() < 0.08 and latest - 200 > pa_start:
            rows.append(
                (
                    self.ids.new("ssd_care_leavers"),
                    c.id,
                    elig,
                    touch,
                    latest - 150 - int(rng.random() * 300),
                    accom,
                    suit,
                    act,
                    review,
                    pa_id,
                    team,
                    worker,
                )
            )
