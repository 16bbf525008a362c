"""Referral episodes: from the referral to the closure of the child in need episode."""

from __future__ import annotations

import random

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.base import Child, Episode
from annexa.source.synthetic.care import Care
from annexa.source.synthetic.protection import Protection

_CLOSE_REASONS = ("RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7")


class Referrals(Protection, Care):
    """One referral and everything that follows it."""

    def episode(self, rng: random.Random, c: Child, r: int, first: bool) -> tuple[int | None, str]:
        """One referral and everything that follows it, up to the CIN closure."""
        q = self.p.referrals
        e = Episode(self.ids.new("ssd_cin_episodes"), r)
        source, transfer_in = self._source(rng, c, first)
        self._contacts_before(rng, c, r, source)
        need = (
            "N2"
            if c.kind == "disabled"
            else "N8"
            if c.kind == "uasc"
            else self.p.codes.need.pick(rng.random())
        )
        nfa = c.kind == "general" and not transfer_in and rng.random() < q.p_referral_nfa
        if rng.random() < self.p.front_door.p_contact_during_episode:
            t = r + self.p.front_door.contact_during_episode_days.draw(rng)
            self.contact(rng, c, t, self.p.codes.contact_source.pick(rng.random()))
        if nfa:
            self.seg(rng, e, "MASH", r, None)
            nfa_close = r + q.nfa_close_days.draw(rng)
            need = q.nfa_need.pick(rng)
            team, worker = self.worker(e, r)
            return self.close_episode(
                rng, c, e, source, "Y", need, nfa_close, "RC8", team, worker, "nfa"
            )
        self.seg(rng, e, "DCT" if c.kind == "disabled" else "ASSESS", r, None)
        ref_team, ref_worker = self.worker(e, r)
        # strategy discussion and S47, or emergency care, at referral
        a_start = self.cal.add_wd(r, q.assessment_start_wd.draw(rng))
        care_route = self._care_route(rng, c, r, first, transfer_in)
        s47_done, s47_plan, icpc_id = self._protection_at_referral(
            rng, c, e, r, transfer_in, care_route
        )
        auth = self.cal.add_wd(a_start, self.assessment_wd(rng))
        if s47_plan is not None or care_route is not None or c.kind == "disabled":
            assess_nfa = False
        elif s47_done:
            assess_nfa = rng.random() < self.p.assessments.p_assess_nfa_after_s47
        else:
            assess_nfa = rng.random() < self.p.assessments.p_assess_nfa
        self.assessment(rng, c, e, a_start, auth, assess_nfa)
        if assess_nfa:
            closed = auth + q.assessed_nfa_close_days.draw(rng)
            reason = "RC9" if rng.random() < q.p_rc9 else "RC8"
            if reason == "RC9":
                self.early_help(rng, c, closed + q.early_help_after_rc9_days.draw(rng))
            if s47_done:  # "closed after assessment" excludes an S47 (DfE CIN rule 2990)
                reason = "RC7"
            if rng.random() < q.p_need_n9_after_assessment:
                need = "N9"
            return self.close_episode(
                rng, c, e, source, "N", need, closed, reason, ref_team, ref_worker, "nfa"
            )
        state, t = self._after_assessment(rng, c, r, auth, care_route, s47_plan)
        close, close_reason, outcome = self._plans(
            rng, c, e, state, t, care_route or "protect", need, icpc_id
        )
        return self.close_episode(
            rng, c, e, source, "N", need, close, close_reason, ref_team, ref_worker, outcome
        )

    def _source(self, rng: random.Random, c: Child, first: bool) -> tuple[str, bool]:
        """Referral source code, and whether the referral is a CP transfer-in (source 5C)."""
        q = self.p.referrals
        if c.kind == "uasc" and first:
            source = q.source_uasc.pick(rng)
        elif c.kind == "prebirth" and first:
            source = q.source_prebirth.pick(rng)
        elif c.kind == "disabled" and first:
            source = q.source_disabled.pick(rng)
        else:
            source = self.p.codes.referral_source.pick(rng.random())
        transfer_in = c.kind == "general" and rng.random() < q.p_transfer_in
        return ("5C" if transfer_in else source), transfer_in

    def _contacts_before(self, rng: random.Random, c: Child, r: int, source: str) -> None:
        """The referral's own contact (same day or just before) and an earlier, separate one."""
        q = self.p.front_door
        if rng.random() < q.p_referral_has_contact:
            self.contact(rng, c, r - q.contact_before_referral_days.draw(rng), source)
        if rng.random() < q.p_earlier_contact:
            t = r - q.earlier_contact_days.draw(rng)
            if c.kind == "prebirth":  # not before the pregnancy could be known of
                t = max(t, max(c.dob, c.edd or c.dob) - q.prebirth_contact_max_days_before_birth)
            self.contact(rng, c, t, self.p.codes.contact_source.pick(rng.random()))

    def _care_route(
        self, rng: random.Random, c: Child, r: int, first: bool, transfer_in: bool
    ) -> str | None:
        """ "uasc" or "emergency" when the child comes into care at referral, else None."""
        q = self.p.referrals
        if c.kind == "uasc" and first:
            return "uasc"
        if c.kind == "general" and not transfer_in:
            under1 = q.emergency_under1_factor if self.age(c, r) < 1 else 1.0
            if rng.random() < q.p_emergency_care * self.p.care_scale * under1:
                return "emergency"
        return None

    def _protection_at_referral(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        r: int,
        transfer_in: bool,
        care_route: str | None,
    ) -> tuple[bool, int | None, str | None]:
        """S47 (and ICPC) at referral: (S47 done, CP plan start if one follows, ICPC id)."""
        q, pq = self.p.referrals, self.p.protection
        if transfer_in:
            icpc_date = self.cal.add_wd(r, pq.transfer_in_icpc_wd.draw(rng))
            return False, icpc_date, self.icpc(rng, c, e, None, None, icpc_date, True, True)
        if c.kind not in ("general", "prebirth"):
            return False, None, None
        prebirth = c.kind == "prebirth"
        ps47 = q.p_s47_at_referral * (q.s47_prebirth_factor if prebirth else 1.0)
        if c.cp_plans:
            ps47 = min(q.s47_repeat_cap, ps47 * q.s47_repeat_factor)
        if care_route == "emergency":
            ps47 = q.p_s47_emergency
        if rng.random() >= ps47:
            return False, None, None
        s_start = self.cal.add_wd(r, q.s47_start_wd.draw(rng))
        picpc = pq.p_icpc * (pq.icpc_prebirth_factor if prebirth else 1.0)
        if c.cp_plans:
            picpc = min(pq.icpc_repeat_cap, picpc * pq.icpc_repeat_factor)
        if care_route is not None:
            picpc = 0.0
        res = self.s47(rng, c, e, s_start, picpc)
        if res is None:
            return True, None, None
        icpc_id, icpc_date, got_plan = res
        return True, (icpc_date if got_plan else None), icpc_id

    def _after_assessment(
        self,
        rng: random.Random,
        c: Child,
        r: int,
        auth: int,
        care_route: str | None,
        s47_plan: int | None,
    ) -> tuple[str, int]:
        """The first state after an assessment that found the child in need, and its date."""
        q = self.p.referrals
        if care_route is not None:
            t = r + q.care_start_days.draw(rng)
            if c.kind == "prebirth" or t < c.dob:
                t = max(t, c.dob + q.care_after_birth_days.draw(rng))
            return "care", t
        if s47_plan is not None:
            return "cp", s47_plan
        if c.kind == "disabled" or rng.random() < q.p_cin_plan:
            return "cin", auth + q.cin_plan_start_days.draw(rng)
        return "close", auth + q.close_without_plan_days.draw(rng)

    def _plans(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        state: str,
        t: int,
        route: str,
        need: str,
        icpc_id: str | None,
    ) -> tuple[int | None, str, str]:
        """CP plan, CIN plan and care in turn until the episode closes or is open at the as-at
        date: (close date or None, closure reason, outcome)."""
        q = self.p.referrals
        outcome, close_reason = "close", "RC7"
        while state not in ("close", "open"):
            if t > self.A:
                state = "open"
                break
            if t >= c.d18:
                state, close_reason = "close", ("RC6" if c.kind == "disabled" else "RC7")
                t = c.d18
                break
            if state == "cp":
                t, nxt = self.cp_phase(rng, c, e, t, icpc_id)
                icpc_id = None
                if nxt == "stepdown":
                    state = "cin"
                elif nxt == "care":
                    vol = self.age(c, t) >= q.vol_after_cp_min_age and (
                        rng.random() < q.p_vol_after_cp
                    )
                    state, route = "care", ("vol" if vol else "protect")
                elif nxt == "transfer":
                    state, close_reason = "close", "RC5"
                else:
                    state = "open" if nxt == "open" else "close"
            elif state == "cin":
                t, nxt, icpc_id = self.cin_phase(rng, c, e, t)
                if nxt == "care":
                    vol = self.age(c, t) >= q.vol_after_cin_min_age
                    state, route = "care", ("vol" if vol else "protect")
                elif nxt in ("cp", "open"):
                    state = nxt
                else:
                    state, close_reason = "close", nxt
            elif state == "care":
                t, nxt = self.care_period(rng, c, e, t, route, need)
                if nxt == "home":
                    state = "cin" if rng.random() < q.p_cin_after_care else "close"
                    if state == "close":
                        t += q.close_after_care_days.draw(rng)
                elif nxt in _CLOSE_REASONS:
                    state, close_reason = "close", nxt
                    outcome = {"RC1": "adopted", "RC4": "sgo", "RC6": "adult"}.get(nxt, "close")
                    if nxt == "RC7" and t >= c.d18 - 2:
                        outcome = "adult"
                else:
                    state = "open" if nxt == "open" else "close"
        return (None if state == "open" else t), close_reason, outcome

    def close_episode(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        source: str,
        nfa: str,
        need: str,
        close: int | None,
        reason: str,
        team: str,
        worker: str,
        outcome: str,
    ) -> tuple[int | None, str]:
        """Write the referral (masked at the as-at date) and keep its rows if it is open in the
        history window."""
        if close is not None and close < e.last_auth:
            # an episode closes after its assessment
            close = e.last_auth + self.p.referrals.close_after_assessment_days.draw(rng)
        if close is not None and close < e.last_icpc:
            # nor before an initial conference held in it (one that made no plan: the CIN plan
            # ran until it; DfE CIN rule 8565); no draw, so the CMS is otherwise the same
            close = e.last_icpc
        if close is not None and close < e.last_s47:
            # nor while a S47 enquiry of it is open or its conference is still to be held (DfE
            # CIN 8565, 8868: an enquiry at referral after a short assessment, one escalated
            # late in a CIN plan); no draw
            close = e.last_s47
        if close is not None and close > self.A:
            mclose, mreason = None, None
        else:
            mclose, mreason = close, (reason if close is not None else None)
        if close is not None and nfa == "Y" and close > self.A:
            nfa = "N"
        if close is not None:
            e.seg.end = close
        keep = e.r <= self.A and (close is None or close >= self.ws)
        if keep:
            c.kept_refs.add(e.ref)
            c.last_ref = e.ref
            e.add(
                "ssd_cin_episodes",
                (
                    e.ref,
                    c.id,
                    e.r,
                    source,
                    K.SOURCE_DESC[source],
                    nfa,
                    need,
                    mclose,
                    mreason,
                    team,
                    worker,
                ),
            )
            for s in e.segs:
                self.involvements(c, e, s)
            for table, rows in e.rows.items():
                c.rows.setdefault(table, []).extend(rows)
            if e.segs:
                c.last_cw = e.segs[-1]
        return close, outcome
