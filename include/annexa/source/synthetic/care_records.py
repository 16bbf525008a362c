"""Records kept during a period of care: reviews, visits, health checks, missing episodes."""

from __future__ import annotations

import random
from bisect import bisect_right

from annexa.source.synthetic.base import Child, Episode, Stage
from annexa.source.synthetic.common import NEVER, add_mo
from annexa.source.synthetic.providers import Carer


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
        A, ws, cal = self.A, self.ws, self.cal
        hi = min(end, A)
        # looked-after reviews: 20 WD, then 3 months, then 6-monthly
        due = cal.add_wd(s, 20)
        last_review = None
        n = 0
        while due <= end + 5 and due <= A + 400:
            n += 1
            on_time = rng.random() < 0.92
            held = due - int(rng.random() * 10) if on_time else due + 1 + int(rng.random() * 30)
            held = max(held, s + 1)
            if held > end:
                break
            if rng.random() < 0.03 and held <= A and held >= ws:
                e.add(
                    "ssd_cla_reviews",
                    (self.ids.new("ssd_cla_reviews"), period, c.id, due, held, "Y"),
                )
                held = held + 3 + int(rng.random() * 18)
                if held > end:
                    break
            if held <= A:
                if held >= ws:
                    e.add(
                        "ssd_cla_reviews",
                        (self.ids.new("ssd_cla_reviews"), period, c.id, due, held, "N"),
                    )
                last_review = held
            elif due <= A + 200 and held > A:
                break
            due = add_mo(held, 3 if n == 1 else 6)
        iro = last_review
        if iro is not None and rng.random() < 0.5:
            extra = iro + 30 + int(rng.random() * 60)
            if extra <= hi:
                iro = extra
        # statutory visits: within a week of each placement, then ~6-weekly (3-monthly if settled)
        rows = e.rows.setdefault("ssd_cla_visits", [])
        alone_from = add_mo(c.dob, 72)
        starts = [d for d, _ in places]
        t = s + 1 + int(rng.random() * 6)
        pi = 0
        if t < ws - 100:
            t = ws - int(rng.random() * 40)
            pi = max(0, bisect_right(starts, t) - 1)
        while t <= hi:
            if t >= ws:
                u = rng.random()
                seen = "Y" if u < 0.96 else "N" if u < 0.99 else None
                alone = (
                    ("Y" if rng.random() < 0.6 else "N") if seen == "Y" and t >= alone_from else "N"
                )
                rows.append((self.ids.new("ssd_cla_visits"), period, c.id, t, seen, alone))
            nxt_place = starts[pi + 1] if pi + 1 < len(starts) else NEVER
            settled = t - starts[pi] > 365 and places[pi][1].type in ("U4", "U1", "A5", "A6")
            step = (60 + int(rng.random() * 30)) if settled else (25 + int(rng.random() * 19))
            if t + step > nxt_place:
                t = nxt_place + 1 + int(rng.random() * 6)
                pi += 1
            else:
                t += step
        # health assessments and dental checks
        hrows = e.rows.setdefault("ssd_cla_health", [])
        t = s + 10 + int(rng.random() * 30)
        while t <= hi:
            under5 = t < add_mo(c.dob, 60)
            status = self.health_status(rng, t, 0.04 if self.age(c, t) < 12 else 0.08)
            if t >= ws:
                hrows.append((self.ids.new("ssd_cla_health"), c.id, "HEALTH", t, status))
            if status == "CANCELLED":
                t += 14 + int(rng.random() * 30)
                continue
            t += (182 if under5 else 365) - 30 + int(rng.random() * 45)
        if c.dob < s - 365:
            t = s + 30 + int(rng.random() * 170)
            while t <= hi:
                status = self.health_status(rng, t, 0.08)
                if t >= ws:
                    hrows.append((self.ids.new("ssd_cla_health"), c.id, "DENTAL", t, status))
                t += 300 + int(rng.random() * 100) if status != "CANCELLED" else 20
                if rng.random() < 0.25 and t <= hi and t >= ws:
                    hrows.append(
                        (
                            self.ids.new("ssd_cla_health"),
                            c.id,
                            "OTHER",
                            t - 20 - int(rng.random() * 40),
                            "COMPLETED",
                        )
                    )
        return iro

    def health_status(self, rng: random.Random, t: int, p_refused: float) -> str:
        if t > self.A - 10 and rng.random() < 0.4:
            return "PLANNED"
        u = rng.random()
        return "REFUSED" if u < p_refused else "CANCELLED" if u < p_refused + 0.04 else "COMPLETED"

    def missing(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        s: int,
        hi: int,
        places: list[tuple[int, Carer]],
    ) -> None:
        p = self.p
        d11 = add_mo(c.dob, 132)
        if hi < d11:
            return
        a = max(s, d11, self.ws)
        if a > hi:
            return
        misser = rng.random() < (
            p.care_records.p_misser_11plus
            if self.age(c, a) >= 11
            else p.care_records.p_misser_under11
        )
        if not misser:
            return
        resid = any(cr.type in ("K2", "H5") for _, cr in places)
        rate = (
            (p.care_records.missing_per_year + p.care_records.away_per_year)
            * (1.6 if resid else 1.0)
            / 365.0
        )
        p_m = p.care_records.missing_per_year / (
            p.care_records.missing_per_year + p.care_records.away_per_year
        )
        rows = e.rows.setdefault("ssd_missing", [])
        t = a + int(rng.expovariate(rate))
        while t <= hi:
            typ = "M" if rng.random() < p_m else "A"
            mend = t + (0 if rng.random() < 0.5 else 1 + int(rng.random() * 3))
            if typ == "M":
                u = rng.random()
                off = "Y" if u < 0.85 else "N" if u < 0.95 else "NA"
                acc = (
                    ("Y" if rng.random() < 0.55 else "N")
                    if off == "Y"
                    else ("NA" if off == "NA" or rng.random() < 0.5 else "N")
                )
            else:
                off = "NA" if rng.random() < 0.7 else "N"
                acc = "NA"
            rows.append((self.ids.new("ssd_missing"), c.id, t, self.m(mend), typ, off, acc))
            t += 1 + int(rng.expovariate(rate))
