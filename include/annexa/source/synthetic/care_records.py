"""Records kept during a period of care: reviews, visits, health checks, missing episodes."""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right

from annexa.source.synthetic.base import Child, Episode, Stage
from annexa.source.synthetic.common import NEVER, add_mo
from annexa.source.synthetic.providers import Carer

FIRST_REVIEW_WD = 20  # looked-after reviews: 20 working days, then 3 months, then 6-monthly
SECOND_REVIEW_MONTHS, REVIEW_EVERY_MONTHS = 3, 6


class CareRecords(Stage):
    """Looked-after reviews, statutory visits, health and dental checks, missing episodes."""

    def reviews_visits_health(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        period: str,
        s: int,
        end: int,
        places: list[tuple[int, Carer]],
        route: str,
    ) -> int | None:
        """Reviews, statutory visits and health checks of one period; returns last IRO contact."""
        q = self.p.care_records
        iro = self._reviews(rng, c, e, period, s, end)
        if iro is not None and rng.random() < q.p_iro_contact_after_review:
            extra = iro + q.iro_contact_after_review_days.draw(rng)
            if extra <= min(end, self.A):
                iro = extra
        self._visits(rng, c, e, period, s, end, places)
        self._health(rng, c, e, s, end)
        return iro

    def _reviews(
        self, rng: random.Random, c: Child, e: Episode, period: str, s: int, end: int
    ) -> int | None:
        """Looked-after reviews held over the period; returns the last held by the as-at date."""
        q, A, ws = self.p.care_records, self.A, self.ws
        due = self.cal.add_wd(s, FIRST_REVIEW_WD)
        last_review = None
        n = 0
        while due <= end + q.review_due_grace_days and due <= A + q.review_horizon_days:
            n += 1
            if rng.random() < q.p_review_on_time:
                held = due - q.review_early_days.draw(rng)
            else:
                held = due + q.review_late_days.draw(rng)
            held = max(held, s + 1)
            if held > end:
                break
            if rng.random() < q.p_review_cancelled and held <= A and held >= ws:
                e.add(
                    "ssd_cla_reviews",
                    (self.ids.new("ssd_cla_reviews"), period, c.id, due, held, "Y"),
                )
                held = held + q.review_rearranged_days.draw(rng)
                if held > end:
                    break
            if held <= A:
                if held >= ws:
                    e.add(
                        "ssd_cla_reviews",
                        (self.ids.new("ssd_cla_reviews"), period, c.id, due, held, "N"),
                    )
                last_review = held
            elif due <= A + q.review_future_days and held > A:
                break
            due = add_mo(held, SECOND_REVIEW_MONTHS if n == 1 else REVIEW_EVERY_MONTHS)
        return last_review

    def _visits(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        period: str,
        s: int,
        end: int,
        places: list[tuple[int, Carer]],
    ) -> None:
        """Statutory visits: within a week of each placement, then ~6-weekly (3-monthly once
        settled in a long-term placement)."""
        q, ws, hi = self.p.care_records, self.ws, min(end, self.A)
        rows = e.rows.setdefault("ssd_cla_visits", [])
        alone_from = add_mo(c.dob, q.seen_alone_from_months)
        starts = [d for d, _ in places]
        t = s + q.first_visit_days.draw(rng)
        pi = 0
        if t < ws - q.visits_resume_before_window_days:
            t = ws - q.visits_resume_days.draw(rng)
            pi = max(0, bisect_right(starts, t) - 1)
        while t <= hi:
            if t >= ws:
                seen = q.visit_seen.pick(rng.random())
                alone = (
                    ("Y" if rng.random() < q.p_seen_alone else "N")
                    if seen == "Y" and t >= alone_from
                    else "N"
                )
                rows.append((self.ids.new("ssd_cla_visits"), period, c.id, t, seen, alone))
            nxt_place = starts[pi + 1] if pi + 1 < len(starts) else NEVER
            settled = t - starts[pi] > q.settled_after_days and places[pi][1].type in (
                "U4",
                "U1",
                "A5",
                "A6",
            )
            step = (q.settled_visit_gap_days if settled else q.visit_gap_days).draw(rng)
            if t + step > nxt_place:
                t = nxt_place + q.visit_after_move_days.draw(rng)
                pi += 1
            else:
                t += step

    def _health(self, rng: random.Random, c: Child, e: Episode, s: int, end: int) -> None:
        """Health assessments (6-monthly under 5, yearly after) and dental checks."""
        q, ws, hi = self.p.care_records, self.ws, min(end, self.A)
        hrows = e.rows.setdefault("ssd_cla_health", [])
        t = s + q.first_health_days.draw(rng)
        while t <= hi:
            under5 = t < add_mo(c.dob, 60)
            refused = q.p_health_refused_under12 if self.age(c, t) < 12 else q.p_health_refused
            status = self.health_status(rng, t, refused)
            if t >= ws:
                hrows.append((self.ids.new("ssd_cla_health"), c.id, "HEALTH", t, status))
            if status == "CANCELLED":
                t += q.health_rebooked_days.draw(rng)
                continue
            every = q.health_every_days_under5 if under5 else q.health_every_days
            t += every + q.health_timing_days.draw(rng)
        if c.dob < s - q.dental_from_days_old:
            t = s + q.first_dental_days.draw(rng)
            while t <= hi:
                status = self.health_status(rng, t, q.p_health_refused)
                if t >= ws:
                    hrows.append((self.ids.new("ssd_cla_health"), c.id, "DENTAL", t, status))
                if status != "CANCELLED":
                    t += q.dental_every_days.draw(rng)
                else:
                    t += q.dental_rebooked_days
                if rng.random() < q.p_other_check and t <= hi and t >= ws:
                    d = t - q.other_check_before_days.draw(rng)
                    hrows.append((self.ids.new("ssd_cla_health"), c.id, "OTHER", d, "COMPLETED"))

    def health_status(self, rng: random.Random, t: int, p_refused: float) -> str:
        q = self.p.care_records
        if t > self.A - q.planned_within_days and rng.random() < q.p_planned:
            return "PLANNED"
        u = rng.random()
        if u < p_refused:
            return "REFUSED"
        return "CANCELLED" if u < p_refused + q.p_health_cancelled else "COMPLETED"

    def missing(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        s: int,
        end: int,
        places: list[tuple[int, Carer]],
        legal_starts: list[int],
    ) -> bool:
        """Missing and away-from-placement episodes of children who go missing at all. Returns
        whether the child is missing when the period of care ends (by the as-at date).

        An episode ends by the day the next one starts (DfE 903 rule 574: no overlaps) and by
        the next change of placement or legal status, or the end of care (575, 577: a child is
        back, or found, when the placement or the period of care ends; an episode that is still
        open at the as-at date is in a placement still open then)."""
        q = self.p.care_records
        hi = min(end, self.A)
        d11 = add_mo(c.dob, q.missing_from_months)
        if hi < d11:
            return False
        a = max(s, d11, self.ws)
        if a > hi:
            return False
        older = self.age(c, a) >= q.misser_older_from_age
        if rng.random() >= (q.p_misser_11plus if older else q.p_misser_under11):
            return False
        resid = any(cr.type in ("K2", "H5") for _, cr in places)
        per_year = q.missing_per_year + q.away_per_year
        rate = per_year * (q.residential_factor if resid else 1.0) / 365.0
        p_m = q.missing_per_year / per_year
        found: list[list] = []
        t = a + int(rng.expovariate(rate))
        while t <= hi:
            typ = "M" if rng.random() < p_m else "A"
            mend = t + q.missing_days.draw(rng)
            if typ == "M":
                off = q.missing_offered_interview.pick(rng.random())
                acc = (
                    ("Y" if rng.random() < q.p_interview_accepted else "N")
                    if off == "Y"
                    else ("NA" if off == "NA" or rng.random() < q.p_interview_na else "N")
                )
            else:
                off = "NA" if rng.random() < q.p_away_interview_na else "N"
                acc = "NA"
            found.append([self.ids.new("ssd_missing"), t, mend, typ, off, acc])
            t += 1 + int(rng.expovariate(rate))
        starts = [d for d, _ in places] + legal_starts
        changes = sorted({d for d in starts if d > s} | {end})
        rows = e.rows.setdefault("ssd_missing", [])
        at_end = False
        for i, (mid, start, mend, typ, off, acc) in enumerate(found):
            if i + 1 < len(found):
                mend = min(mend, found[i + 1][1])
            mend = min(mend, changes[bisect_left(changes, start)])
            rows.append((mid, c.id, start, self.m(mend), typ, off, acc))
            at_end = at_end or (mend == end and end <= self.A)
        return at_end
