"""Section 47 enquiries, initial child protection conferences, CP plans and CIN plans."""

from __future__ import annotations

import random

from annexa.source.synthetic.assessments import Assessments
from annexa.source.synthetic.base import Child, Episode
from annexa.source.synthetic.common import add_mo, flags_json
from annexa.source.synthetic.front_door import FrontDoor
from annexa.source.synthetic.placements import Placements

ICPC_TARGET_WD = 15  # the ICPC is due within 15 working days of the strategy discussion
FIRST_REVIEW_MONTHS, REVIEW_EVERY_MONTHS = 3, 6  # CP review conferences


class Protection(FrontDoor, Assessments, Placements):
    """S47, ICPC, child protection plans and child in need plans."""

    def s47(
        self, rng: random.Random, c: Child, e: Episode, s: int, p_icpc: float
    ) -> tuple[str | None, int, bool] | None:
        """A section 47 enquiry; returns (ICPC id, ICPC date, plan made) when an ICPC follows."""
        cal, q = self.cal, self.p.protection
        icpc = rng.random() < p_icpc
        sid = self.ids.new("ssd_s47_enquiry")
        if icpc:
            if rng.random() < q.p_icpc_within_15:
                wd = max(
                    q.icpc_min_wd, ICPC_TARGET_WD - int(rng.expovariate(1 / q.icpc_early_mean_wd))
                )
            else:
                wd = ICPC_TARGET_WD + 1 + int(rng.expovariate(1 / q.icpc_late_mean_wd))
            idate = cal.add_wd(s, wd)
            end = cal.add_wd(s, min(wd, q.s47_with_icpc_wd.draw(rng)))
        else:
            idate = None
            end = cal.add_wd(s, q.s47_wd.draw(rng))
        # a S47 enquiry is into a child: none on or after the 18th birthday (an escalation drawn
        # within a CIN plan that the birthday ends). Its draws and ids are taken all the same,
        # so the rest of the CMS is unchanged
        adult = s >= c.d18
        if s <= self.A:
            team, worker = self.worker(e, s)
            done = end <= self.A
            s47_nfa = (not icpc) and rng.random() < q.p_s47_nfa
            out = flags_json(("NFA_FLAG", self.yn(s47_nfa)), ("CP_CONFERENCE_FLAG", self.yn(icpc)))
        if s <= self.A and not adult:
            # the CIN episode stays open until the enquiry has ended and its conference, if one
            # follows, been held (DfE CIN rules 8565, 8868)
            e.last_s47 = max(e.last_s47, end, idate or 0)
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
        if idate is None:
            return None
        plan = rng.random() < q.p_plan_from_icpc and idate < c.d18 - q.no_plan_days_before_18
        if adult:
            self.ids.new("ssd_initial_cp_conference")
            return None
        iid = self.icpc(rng, c, e, sid, cal.add_wd(s, ICPC_TARGET_WD), idate, plan, False)
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
        e.last_icpc = max(e.last_icpc, d)
        # the CP plan id is filled in by cp_phase (it knows the plan id): a mutable row
        row: list = [
            iid,
            sid,
            c.id,
            e.ref,
            None,
            self.yn(transfer_in),
            target if target is not None else self.cal.add_wd(e.r, ICPC_TARGET_WD),
            d,
            self.yn(plan),
            flags_json(("CP_FLAG", self.yn(plan))),
        ]
        e.rows.setdefault("ssd_initial_cp_conference", []).append(row)  # type: ignore[arg-type]
        return iid

    # --- child protection ---------------------------------------------------------------------

    def cp_phase(
        self, rng: random.Random, c: Child, e: Episode, start: int, icpc_id: str | None
    ) -> tuple[int, str]:
        """A CP plan from its ICPC to its end, with visits and review conferences."""
        q = self.p.protection
        kind = "DCT" if c.kind == "disabled" else "CIN"
        self.seg(rng, e, kind, start, "Transferred to long-term team")
        pid = self.ids.new("ssd_cp_plans")
        c.cp_plans += 1
        if icpc_id is not None:
            for row in e.rows.get("ssd_initial_cp_conference", ()):
                if row[0] == icpc_id:
                    row[4] = pid  # type: ignore[index]
        reviews = self._cp_reviews(rng, start)
        end = reviews[-1][1] if reviews else start + q.plan_without_review_days.draw(rng)
        end, nxt = self._cp_end(rng, c, start, end)
        reviews = [rv for rv in reviews if rv[1] <= end]
        init = self.p.codes.abuse_category.pick(rng.random())
        latest = (
            init
            if rng.random() < q.p_same_category
            else self.p.codes.abuse_category.pick(rng.random())
        )
        ola = "Y" if rng.random() < q.p_other_la else "N"
        e.add("ssd_cp_plans", (pid, e.ref, icpc_id, c.id, start, self.m(end), ola, init, latest))
        for due, held in reviews:
            if held <= self.A and held >= self.ws:
                e.add("ssd_cp_reviews", (self.ids.new("ssd_cp_reviews"), c.id, pid, due, held))
        self._cp_visits(rng, c, e, pid, start, end)
        if end > self.A:
            return end, "open"
        return end, nxt

    def _cp_reviews(self, rng: random.Random, start: int) -> list[tuple[int, int]]:
        """(due, held) of the review conferences the plan lasts through."""
        q = self.p.protection
        k = q.cp_end_review.pick(rng.random())
        reviews: list[tuple[int, int]] = []
        due = add_mo(start, FIRST_REVIEW_MONTHS)
        for _ in range(k):
            if rng.random() < q.p_review_on_time:
                held = due - q.review_early_days.draw(rng)
            else:
                held = due + q.review_late_days.draw(rng)
            reviews.append((due, held))
            due = add_mo(held, REVIEW_EVERY_MONTHS)
        return reviews

    def _cp_end(self, rng: random.Random, c: Child, start: int, end: int) -> tuple[int, str]:
        """How and when the plan ends: step down, close, care (possibly mid-plan), transfer."""
        q, care_scale = self.p.protection, self.p.care_scale
        nxt = q.cp_outcome.pick(rng.random())
        if nxt == "care" and rng.random() > care_scale:
            nxt = "stepdown"
        if nxt != "care" and self.age(c, start) < 1 and rng.random() < q.p_care_under1:
            nxt = "care"
        if (
            c.kind == "prebirth"
            and start < c.dob
            and rng.random() < q.p_removal_at_birth * care_scale
        ):
            end, nxt = c.dob + q.removal_after_birth_days.draw(rng), "care"
        if (
            nxt == "care"
            and rng.random() < q.p_proceedings_mid_plan
            and end - start > q.proceedings_min_plan_days
        ):
            lo = q.proceedings_min_days
            end = start + lo + int(rng.random() * (end - start - lo))
        if end >= c.d18:
            end, nxt = c.d18, "close"
        return end, nxt

    def _cp_visits(
        self, rng: random.Random, c: Child, e: Episode, pid: str, start: int, end: int
    ) -> None:
        """Statutory CP visits, every couple of weeks, over the part in the history window."""
        q = self.p.protection
        hi = min(end, self.A)
        t = self.cal.add_wd(start, q.first_visit_wd.draw(rng))
        if t < self.ws - q.visits_resume_before_window_days:
            t = self.ws - q.visits_resume_days.draw(rng)
        age_alone = add_mo(c.dob, q.seen_alone_from_months)
        rows = e.rows.setdefault("ssd_cp_visits", [])
        while t <= hi:
            if t >= self.ws:
                u = rng.random()
                seen = "Y" if u < q.p_visit_seen and t >= c.dob else "N"
                alone: str | None = (
                    ("Y" if rng.random() < q.p_seen_alone else "N")
                    if seen == "Y" and t >= age_alone
                    else "N"
                )
                if rng.random() < q.p_seen_alone_unrecorded:
                    alone = None
                rows.append((self.ids.new("ssd_cp_visits"), c.id, pid, t, seen, alone))
            t = self.cal.add_wd(t, q.visit_gap_wd.draw(rng))

    # --- child in need plans ------------------------------------------------------------------

    def cin_phase(
        self, rng: random.Random, c: Child, e: Episode, start: int
    ) -> tuple[int, str, str | None]:
        """A CIN plan; it may escalate to a S47/ICPC/CP plan or to care."""
        q = self.p.cin
        kind = "DCT" if c.kind == "disabled" else "CIN"
        self.seg(rng, e, kind, start, "Transferred to long-term team")
        if c.kind == "disabled":
            dur = q.disabled_plan_days.draw(rng)
        else:
            dur = self.lognorm(rng, q.cin_plan_median_days, q.cin_plan_sigma)
        end, nxt, icpc_id = self._cin_course(rng, c, e, start, dur)
        if start <= self.A:
            self._cin_plan_rows(rng, c, e, start, end)
        if end > self.A:
            return end, "open", None
        if nxt == "RC7" and rng.random() < q.p_early_help_after:
            self.early_help(rng, c, end + q.early_help_after_days.draw(rng))
        return end, nxt, icpc_id

    def _cin_course(
        self, rng: random.Random, c: Child, e: Episode, start: int, dur: int
    ) -> tuple[int, str, str | None]:
        """(end, next, ICPC id): closure (RC7, RC5, RC4, RC3, RC6) or escalation to CP/care."""
        q, care_scale = self.p.cin, self.p.care_scale
        end = start + dur
        nxt = "RC7"
        icpc_id = None
        u = rng.random()
        p_esc = q.p_cin_escalate_s47 * (q.escalate_repeat_factor if c.cp_plans else 1.0)
        if c.kind != "disabled" and u < p_esc and dur > q.escalate_min_days:
            lo = q.s47_after_min_days
            s = start + lo + int(rng.random() * (dur - lo))
            res = self.s47(rng, c, e, s, self.p.protection.p_icpc_escalation)
            if rng.random() < q.p_assessment_with_s47:
                a_s = self.cal.add_wd(s, q.assessment_start_wd.draw(rng))
                a_auth = self.cal.add_wd(a_s, self.assessment_wd(rng))
                self.assessment(rng, c, e, a_s, a_auth, False)
            if res is not None and res[2]:
                icpc_id, end, nxt = res[0], res[1], "cp"
        elif u < p_esc + q.p_cin_to_care * care_scale and dur > q.care_min_days:
            lo = q.care_after_min_days
            end, nxt = start + lo + int(rng.random() * (dur - lo)), "care"
        elif rng.random() < q.p_transfer_out:
            nxt = "RC5"
        elif rng.random() < q.p_order_ends_plan:
            nxt = "RC4" if rng.random() < q.p_order_is_sgo else "RC3"
        if end >= c.d18:
            adult = c.kind == "disabled" or rng.random() < q.p_adult_services_at_18
            end, nxt = c.d18, ("RC6" if adult else "RC7")
        return end, nxt, icpc_id

    def _cin_plan_rows(
        self, rng: random.Random, c: Child, e: Episode, start: int, end: int
    ) -> None:
        """The plan, its visits over the history window, and short breaks for disabled children."""
        q = self.p.cin
        team, worker = self.worker(e, start)
        plan_id = self.ids.new("ssd_cin_plans")
        e.add("ssd_cin_plans", (plan_id, e.ref, c.id, start, self.m(end), team, worker))
        hi = min(end, self.A)
        t = start + q.first_visit_days.draw(rng)
        if t < self.ws - q.visits_resume_before_window_days:
            t = self.ws - q.visits_resume_days.draw(rng)
        alone_from = add_mo(c.dob, q.seen_alone_from_months)
        rows = e.rows.setdefault("ssd_cin_visits", [])
        while t <= hi:
            if t >= self.ws:
                seen = "Y" if rng.random() < q.p_visit_seen else "N"
                alone = (
                    ("Y" if rng.random() < q.p_seen_alone else "N")
                    if seen == "Y" and t >= alone_from
                    else "N"
                )
                rows.append((self.ids.new("ssd_cin_visits"), c.id, plan_id, t, seen, alone))
            t += q.visit_gap_days.draw(rng)
        if c.kind == "disabled" and rng.random() < q.p_short_breaks:
            self.short_breaks(
                rng, c, e, start + q.short_breaks_start_days.draw(rng), end, need="N2"
            )
