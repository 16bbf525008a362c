"""Referral episodes: from the referral to the closure of the child in need episode."""

from __future__ import annotations

import random

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.base import Child, Episode
from annexa.source.synthetic.care import Care
from annexa.source.synthetic.protection import Protection


class Referrals(Protection, Care):
    """One referral and everything that follows it."""

    def episode(self, rng: random.Random, c: Child, r: int, first: bool) -> tuple[int | None, str]:
        """One referral and everything that follows it, up to the CIN closure."""
        p, cal = self.p, self.cal
        e = Episode(self.ids.new("ssd_cin_episodes"), r)
        if c.kind == "uasc" and first:
            source = "6" if rng.random() < 0.5 else "7" if rng.random() < 0.6 else "8"
        elif c.kind == "prebirth" and first:
            source = "3B" if rng.random() < 0.3 else "3F" if rng.random() < 0.6 else "3D"
        elif c.kind == "disabled" and first:
            source = "3D" if rng.random() < 0.4 else "2A" if rng.random() < 0.5 else "1A"
        else:
            source = K.SOURCE.pick(rng.random())
        transfer_in = c.kind == "general" and rng.random() < p.referrals.p_transfer_in
        if transfer_in:
            source = "5C"
        if rng.random() < p.front_door.p_referral_has_contact:
            self.contact(
                rng, c, r - (0 if rng.random() < 0.8 else 1 + int(rng.random() * 3)), source
            )
        if rng.random() < p.front_door.p_earlier_contact:
            self.contact(
                rng, c, r - 20 - int(rng.random() * 300), K.CONTACT_SOURCE.pick(rng.random())
            )
        need = (
            "N2"
            if c.kind == "disabled"
            else "N8"
            if c.kind == "uasc"
            else K.NEED.pick(rng.random())
        )
        nfa = c.kind == "general" and not transfer_in and rng.random() < p.referrals.p_referral_nfa
        if rng.random() < p.front_door.p_contact_during_episode:
            self.contact(
                rng, c, r + 10 + int(rng.random() * 120), K.CONTACT_SOURCE.pick(rng.random())
            )

        if nfa:
            self.seg(rng, e, "MASH", r, None)
            close = r + (0 if rng.random() < 0.6 else 1 + int(rng.random() * 4))
            need = "N9" if rng.random() < 0.6 else "N0"
            team, worker = self.worker(e, r)
            return self.close_episode(
                rng, c, e, source, "Y", need, close, "RC8", team, worker, "nfa"
            )

        kind0 = "DCT" if c.kind == "disabled" else "ASSESS"
        self.seg(rng, e, kind0, r, None)
        ref_team, ref_worker = self.worker(e, r)

        # strategy discussion and S47, or emergency care, at referral
        a_start = cal.add_wd(r, 0 if rng.random() < 0.45 else 1 + int(rng.random() * 4))
        state = "assess"
        care_route = None
        if c.kind == "uasc" and first:
            care_route = "uasc"
        elif c.kind == "general" and not transfer_in:
            pe = p.referrals.p_emergency_care * p.care_scale * (4.0 if self.age(c, r) < 1 else 1.0)
            if rng.random() < pe:
                care_route = "emergency"
        s47_plan = None
        icpc_id = None
        icpc_date = None
        s47_done = False
        if transfer_in:
            icpc_date = cal.add_wd(r, 4 + int(rng.random() * 11))
            icpc_id = self.icpc(rng, c, e, None, None, icpc_date, True, True)
            s47_plan = icpc_date
        elif c.kind in ("general", "prebirth"):
            ps47 = p.referrals.p_s47_at_referral * (1.5 if c.kind == "prebirth" else 1.0)
            if c.cp_plans:
                ps47 = min(0.8, ps47 * 2.0)
            if care_route == "emergency":
                ps47 = 0.8
            if rng.random() < ps47:
                s47_done = True
                s_start = cal.add_wd(r, 0 if rng.random() < 0.6 else 1 + int(rng.random() * 3))
                picpc = p.protection.p_icpc * (1.5 if c.kind == "prebirth" else 1.0)
                if c.cp_plans:
                    picpc = min(0.75, picpc * 1.8)
                if care_route is not None:
                    picpc = 0.0
                res = self.s47(rng, c, e, s_start, picpc)
                if res is not None:
                    icpc_id, icpc_date, got_plan = res
                    if got_plan:
                        s47_plan = icpc_date

        # the child and family assessment
        dur = self.assessment_wd(rng)
        auth = cal.add_wd(a_start, dur)
        if s47_plan is not None or care_route is not None or c.kind == "disabled":
            assess_nfa = False
        elif s47_done:
            assess_nfa = rng.random() < p.assessments.p_assess_nfa_after_s47
        else:
            assess_nfa = rng.random() < p.assessments.p_assess_nfa
        self.assessment(rng, c, e, a_start, auth, assess_nfa)

        if assess_nfa:
            close = auth + int(rng.random() * 8)
            reason = "RC9" if rng.random() < p.referrals.p_rc9 else "RC8"
            if reason == "RC9":
                self.early_help(rng, c, close + 1 + int(rng.random() * 20))
            if rng.random() < 0.3:
                need = "N9"
            team, worker = ref_team, ref_worker
            return self.close_episode(
                rng, c, e, source, "N", need, close, reason, team, worker, "nfa"
            )

        # in need: protection, care or a CIN plan
        t = auth
        outcome = "close"
        close_reason = "RC7"
        if care_route is not None:
            state, t = "care", r + (0 if rng.random() < 0.7 else 1 + int(rng.random() * 3))
            if c.kind == "prebirth" or t < c.dob:
                t = max(t, c.dob + int(rng.random() * 4))
        elif s47_plan is not None:
            state, t = "cp", s47_plan
        elif c.kind == "disabled" or rng.random() < p.referrals.p_cin_plan:
            state, t = "cin", auth + int(rng.random() * 10)
        else:
            state, t = "close", auth + int(rng.random() * 15)
        route = care_route or "protect"
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
                    state, route = (
                        "care",
                        ("vol" if self.age(c, t) >= 12 and rng.random() < 0.5 else "protect"),
                    )
                elif nxt == "transfer":
                    state, close_reason = "close", "RC5"
                elif nxt == "open":
                    state = "open"
                else:
                    state = "close"
            elif state == "cin":
                t, nxt, icpc_id = self.cin_phase(rng, c, e, t)
                if nxt == "cp":
                    state = "cp"
                elif nxt == "care":
                    state, route = "care", ("vol" if self.age(c, t) >= 11 else "protect")
                elif nxt == "open":
                    state = "open"
                else:
                    state = "close"
                    close_reason = nxt
            elif state == "care":
                t, nxt = self.care_period(rng, c, e, t, route, need)
                if nxt == "open":
                    state = "open"
                elif nxt == "home":
                    state = "cin" if rng.random() < 0.65 else "close"
                    if state == "close":
                        t += int(rng.random() * 30)
                elif nxt in ("RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7"):
                    state, close_reason = "close", nxt
                    outcome = {"RC1": "adopted", "RC4": "sgo", "RC6": "adult"}.get(nxt, "close")
                    if nxt == "RC7" and t >= c.d18 - 2:
                        outcome = "adult"
                else:
                    state = "close"
        close = None if state == "open" else t
        team, worker = ref_team, ref_worker
        return self.close_episode(
            rng, c, e, source, "N", need, close, close_reason, team, worker, outcome
        )

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
        if close is not None and close < e.last_auth:
            close = e.last_auth + int(rng.random() * 5)  # an episode closes after its assessment
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
