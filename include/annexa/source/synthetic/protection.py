"""Section 47 enquiries, initial child protection conferences, CP plans and CIN plans."""

from __future__ import annotations

import json
import random

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.assessments import Assessments
from annexa.source.synthetic.base import Child, Episode
from annexa.source.synthetic.common import add_mo
from annexa.source.synthetic.front_door import FrontDoor
from annexa.source.synthetic.placements import Placements


class Protection(FrontDoor, Assessments, Placements):
    """S47, ICPC, child protection plans and child in need plans."""

    def s47(
        self, rng: random.Random, c: Child, e: Episode, s: int, p_icpc: float
    ) -> tuple[str | None, int, bool] | None:
        """A section 47 enquiry; returns (ICPC id, ICPC date, plan made) when an ICPC follows."""
        cal = self.cal
        icpc = rng.random() < p_icpc
        sid = self.ids.new("ssd_s47_enquiry")
        if icpc:
            if rng.random() < self.p.protection.p_icpc_within_15:
                wd = max(4, 15 - int(rng.expovariate(1 / 2.6)))
            else:
                wd = 16 + int(rng.expovariate(1 / 7.0))
            idate = cal.add_wd(s, wd)
            end = cal.add_wd(s, min(wd, 5 + int(rng.random() * 8)))
        else:
            idate = None
            end = cal.add_wd(s, 4 + int(rng.random() * 16))
        if s <= self.A:
            team, worker = self.worker(e, s)
            done = end <= self.A
            s47_nfa = (not icpc) and rng.random() < 0.55
            out = json.dumps({"NFA_FLAG": self.yn(s47_nfa), "CP_CONFERENCE_FLAG": self.yn(icpc)})
            e.add(
                "ssd_s47_enquiry",
                (
                    sid,
                    e.ref,
                    c.id,
                    s,
                    self.m(end),
                    self.yn(s47_nfa) if done else None,
                    out if done else None,
                    team,
                    worker,
                ),
            )
        if not icpc:
            return None
        assert idate is not None
        plan = rng.random() < self.p.protection.p_plan_from_icpc and idate < c.d18 - 14
        iid = self.icpc(rng, c, e, sid, cal.add_wd(s, 15), idate, plan, False)
        return iid, idate, plan

    def icpc(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        sid: str | None,
        target: int | None,
        d: int,
        plan: bool,
        transfer_in: bool,
    ) -> str | None:
        iid = self.ids.new("ssd_initial_cp_conference")
        if d > self.A:
            return None
        # the CP plan id is filled in by cp_phase (it knows the plan id); keep a mutable marker
        e.add(
            "ssd_initial_cp_conference",
            [
                iid,
                sid,
                c.id,
                e.ref,
                None,
                self.yn(transfer_in),
                target if target is not None else self.cal.add_wd(e.r, 15),
                d,
                self.yn(plan),
                json.dumps({"CP_FLAG": self.yn(plan)}),
            ],
        )  # type: ignore[arg-type]
        return iid

    # --- child protection ---------------------------------------------------------------------

    def cp_phase(
        self, rng: random.Random, c: Child, e: Episode, start: int, icpc_id: str | None
    ) -> tuple[int, str]:
        """A CP plan from its ICPC to its end, with visits and review conferences."""
        kind = "DCT" if c.kind == "disabled" else "CIN"
        self.seg(rng, e, kind, start, "Transferred to long-term team")
        pid = self.ids.new("ssd_cp_plans")
        c.cp_plans += 1
        if icpc_id is not None:
            for row in e.rows.get("ssd_initial_cp_conference", ()):
                if row[0] == icpc_id:
                    row[4] = pid  # type: ignore[index]
        k = self.p.protection.cp_end_review.pick(rng.random())
        reviews: list[tuple[int, int]] = []
        due = add_mo(start, 3)
        held = start
        for _ in range(k):
            on_time = rng.random() < 0.9
            held = due - int(rng.random() * 8) if on_time else due + 1 + int(rng.random() * 25)
            reviews.append((due, held))
            due = add_mo(held, 6)
        end = held if k else start + 20 + int(rng.random() * 60)
        nxt = self.p.protection.cp_outcome.pick(rng.random())
        if nxt == "care" and rng.random() > self.p.care_scale:
            nxt = "stepdown"
        if nxt != "care" and self.age(c, start) < 1 and rng.random() < 0.12:
            nxt = "care"
        if c.kind == "prebirth" and start < c.dob and rng.random() < 0.42 * self.p.care_scale:
            end, nxt = c.dob + int(rng.random() * 5), "care"  # removal at birth
            reviews = [rv for rv in reviews if rv[1] <= end]
        if nxt == "care" and rng.random() < 0.6 and end - start > 60:
            end = start + 30 + int(rng.random() * (end - start - 30))  # proceedings mid-plan
            reviews = [rv for rv in reviews if rv[1] <= end]
        if end >= c.d18:
            end, nxt = c.d18, "close"
            reviews = [rv for rv in reviews if rv[1] <= end]
        init = K.ABUSE.pick(rng.random())
        latest = init if rng.random() < 0.88 else K.ABUSE.pick(rng.random())
        ola = "Y" if rng.random() < 0.004 else "N"
        e.add("ssd_cp_plans", (pid, e.ref, icpc_id, c.id, start, self.m(end), ola, init, latest))
        for due, held in reviews:
            if held <= self.A and held >= self.ws:
                e.add("ssd_cp_reviews", (self.ids.new("ssd_cp_reviews"), c.id, pid, due, held))
        # visits every ~10 working days
        hi = min(end, self.A)
        t = self.cal.add_wd(start, 3 + int(rng.random() * 7))
        if t < self.ws - 30:
            t = self.ws - int(rng.random() * 14)
        age_alone = add_mo(c.dob, 48)
        rows = e.rows.setdefault("ssd_cp_visits", [])
        while t <= hi:
            if t >= self.ws:
                u = rng.random()
                seen = "Y" if u < 0.93 and t >= c.dob else "N"
                alone = (
                    ("Y" if rng.random() < 0.62 else "N") if seen == "Y" and t >= age_alone else "N"
                )
                if rng.random() < 0.015:
                    alone = None
                rows.append((self.ids.new("ssd_cp_visits"), c.id, pid, t, seen, alone))
            t = self.cal.add_wd(t, 6 + int(rng.random() * 7))
        if end > self.A:
            return end, "open"
        return end, nxt

    # --- child in need plans ------------------------------------------------------------------

    def cin_phase(
        self, rng: random.Random, c: Child, e: Episode, start: int
    ) -> tuple[int, str, str | None]:
        """A CIN plan; it may escalate to a S47/ICPC/CP plan or to care."""
        p = self.p
        kind = "DCT" if c.kind == "disabled" else "CIN"
        self.seg(rng, e, kind, start, "Transferred to long-term team")
        if c.kind == "disabled":
            dur = 500 + int(rng.random() * 2000)
        else:
            dur = self.lognorm(rng, p.cin.cin_plan_median_days, p.cin.cin_plan_sigma)
        end = start + dur
        nxt = "RC7"
        icpc_id = None
        u = rng.random()
        p_esc = p.cin.p_cin_escalate_s47 * (3.0 if c.cp_plans else 1.0)
        if c.kind != "disabled" and u < p_esc and dur > 30:
            s = start + 20 + int(rng.random() * (dur - 20))
            res = self.s47(rng, c, e, s, p.protection.p_icpc_escalation)
            if rng.random() < 0.4:
                a_s = self.cal.add_wd(s, int(rng.random() * 3))
                a_auth = self.cal.add_wd(a_s, self.assessment_wd(rng))
                self.assessment(rng, c, e, a_s, a_auth, False)
            if res is not None and res[2]:
                icpc_id, end, nxt = res[0], res[1], "cp"
        elif u < p_esc + p.cin.p_cin_to_care * p.care_scale and dur > 20:
            end, nxt = start + 10 + int(rng.random() * (dur - 10)), "care"
        elif rng.random() < 0.04:
            nxt = "RC5"
        elif rng.random() < 0.02:
            nxt = "RC4" if rng.random() < 0.5 else "RC3"
        if end >= c.d18:
            end, nxt = c.d18, ("RC6" if c.kind == "disabled" or rng.random() < 0.1 else "RC7")
        if start <= self.A:
            team, worker = self.worker(e, start)
            plan_id = self.ids.new("ssd_cin_plans")
            e.add("ssd_cin_plans", (plan_id, e.ref, c.id, start, self.m(end), team, worker))
            hi = min(end, self.A)
            t = start + 5 + int(rng.random() * 20)
            if t < self.ws - 40:
                t = self.ws - int(rng.random() * 30)
            alone_from = add_mo(c.dob, 60)
            rows = e.rows.setdefault("ssd_cin_visits", [])
            while t <= hi:
                if t >= self.ws:
                    seen = "Y" if rng.random() < 0.9 else "N"
                    alone = (
                        ("Y" if rng.random() < 0.45 else "N")
                        if seen == "Y" and t >= alone_from
                        else "N"
                    )
                    rows.append((self.ids.new("ssd_cin_visits"), c.id, plan_id, t, seen, alone))
                t += 14 + int(rng.random() * 22)
            if c.kind == "disabled" and rng.random() < p.cin.p_short_breaks:
                self.short_breaks(rng, c, e, start + 30 + int(rng.random() * 150), end, need="N2")
        if end > self.A:
            return end, "open", None
        if nxt == "RC7" and rng.random() < 0.12:
            self.early_help(rng, c, end + 1 + int(rng.random() * 20))
        return end, nxt, icpc_id
