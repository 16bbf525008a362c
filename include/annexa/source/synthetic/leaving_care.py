"""Care leavers: eligibility, personal advisers and the care-leaver record."""

from __future__ import annotations

import random

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.base import Child, Stage
from annexa.source.synthetic.common import add_mo
from annexa.source.synthetic.workforce import Segment

QUALIFYING_DAYS = 91  # 13 weeks looked after since 14 (and looked after at 16) -> eligible


class LeavingCare(Stage):
    """Leaving-care status at the as-at date."""

    def care_leaver(self, rng: random.Random, c: Child) -> None:
        """Leaving-care eligibility, personal adviser and the care-leaver record (List 9)."""
        if not c.care:
            return
        A, q = self.A, self.p.leaving_care
        found = self._eligibility(c)
        if found is None:
            return
        eligible, pa_start = found
        if pa_start > A or c.death is not None and c.death <= pa_start:
            return
        long_support = rng.random() < q.p_support_to_25
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
        elig = _status(eligible, in_care_at_a, age_a, pa_end > A)
        touch = self._in_touch(rng, c, elig, in_care_at_a, age_a)
        end_ref = min(pa_end, A)
        latest, accom, suit, act, review = self._contact(
            rng, elig, touch, age_a, end_ref, pa_start, in_care_at_a
        )
        pa = seg.worker_at(end_ref)
        pa_id: str | None = (
            pa.prof_id if rng.random() > q.p_adviser_unrecorded or elig == "NONE" else None
        )
        if in_care_at_a and age_a < 18 and c.last_cw is not None and c.last_cw.end is None:
            cw = c.last_cw.slot_at(A)
            team, worker = cw.team_id, cw.at(A).prof_id
        else:
            team, worker = seg.slot_at(end_ref).team_id, pa.prof_id
        row = [
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
        ]
        rows = c.rows.setdefault("ssd_care_leavers", [])
        rows.append(tuple(row))
        if rng.random() < q.p_earlier_record and latest - q.earlier_record_min_days > pa_start:
            row[0] = self.ids.new("ssd_care_leavers")
            row[4] = latest - q.earlier_record_days.draw(rng)
            rows.append(tuple(row))

    def _eligibility(self, c: Child) -> tuple[bool, int] | None:
        """(eligible, adviser from) for a child looked after at 16 or later, else None."""
        d14, d16, d18 = add_mo(c.dob, 168), add_mo(c.dob, 192), c.d18
        acc = 0
        elig_at = None
        for s, e in sorted(c.care):
            a, b = max(s, d14), min(e, d18)
            if b > a:
                if acc + (b - a) >= QUALIFYING_DAYS and elig_at is None:
                    elig_at = a + (QUALIFYING_DAYS - acc)
                acc += b - a
        in_care_16 = [(s, e) for s, e in c.care if e > d16 and s < d18]
        if not in_care_16:
            return None
        last_end = max(e for s, e in in_care_16)
        if elig_at is not None and elig_at < last_end:
            return True, max(d16, elig_at)
        return False, last_end  # qualifying: advice and assistance after leaving care

    def _in_touch(
        self, rng: random.Random, c: Child, elig: str, in_care_at_a: bool, age_a: int
    ) -> str:
        """Whether the authority is in touch with the young person (List 9)."""
        q = self.p.leaving_care
        if c.death is not None and c.death <= self.A:
            return "DIED"
        if elig == "NONE":
            return "NREQ" if rng.random() < q.p_not_required else "NO"
        if in_care_at_a:
            return "YES" if rng.random() < q.p_in_touch_in_care else "REFU"
        u = rng.random()
        if age_a < 18:
            base = q.p_in_touch_under18
        elif age_a < 22:
            base = q.p_in_touch_18_21
        else:
            base = q.p_in_touch_22_plus
        if u < base:
            return "YES"
        shares = q.out_of_touch
        for item, bound in zip(shares.items[:-1], shares.cum, strict=False):
            if u < base + (1 - base) * bound:
                return item
        return shares.items[-1]

    def _contact(
        self,
        rng: random.Random,
        elig: str,
        touch: str,
        age_a: int,
        end_ref: int,
        pa_start: int,
        in_care_at_a: bool,
    ) -> tuple[int, str | None, str | None, str | None, int | None]:
        """(latest contact, accommodation, suitability, activity, pathway plan review)."""
        q, A = self.p.leaving_care, self.A
        if touch == "YES":
            latest = A - q.latest_contact_in_touch_days.draw(rng)
        elif elig == "NONE":
            latest = end_ref - q.latest_contact_ended_days.draw(rng)
        else:
            latest = A - q.latest_contact_out_of_touch_days.draw(rng)
        latest = max(latest, pa_start)
        accom = suit = act = None
        if touch == "YES":
            codes = self.p.codes
            accom = (
                codes.accommodation_18_plus
                if age_a >= 18
                else codes.accommodation_16_17
                if in_care_at_a
                else codes.accommodation_16_17_left_care
            ).pick(rng.random())
            unsuitable = (
                accom in K.UNSUITABLE_USUALLY
                and rng.random() < q.p_unsuitable_usually
                or rng.random() < q.p_unsuitable
            )
            # custody (X) and no fixed abode (S) are never suitable (DfE 903 rule 133: X2, S2)
            suit = "2" if unsuitable or accom in K.NEVER_SUITABLE else "1"
            act = (
                self.p.codes.activity_16_17 if age_a < 18 else self.p.codes.activity_18_plus
            ).pick(rng.random())
        u = rng.random()
        review: int | None
        if elig == "NONE":
            review = end_ref - q.review_ended_days.draw(rng) if u < q.p_review_ended else None
        else:
            when = q.review.pick(u)
            if when == "recent":
                review = A - q.review_recent_days.draw(rng)
            elif when == "older":
                review = A - q.review_older_days.draw(rng)
            else:
                review = None
        if review is not None and review < pa_start:
            review = None
        return latest, accom, suit, act, review


def _status(eligible: bool, in_care_at_a: bool, age_a: int, supported_at_a: bool) -> str:
    """Leaving-care status at the as-at date."""
    if not eligible:
        return "QUALIFYING" if age_a < 21 else "NONE"
    if in_care_at_a and age_a < 18:
        return "ELIGIBLE"
    if age_a < 18:
        return "RELEVANT"
    return "FORMER_RELEVANT" if supported_at_a else "NONE"
