"""Entering and leaving care: the legal route, the care plan and the exit of a period of care."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from annexa.source.synthetic.adoption import Adoption
from annexa.source.synthetic.base import Child, Episode
from annexa.source.synthetic.common import add_mo
from annexa.source.synthetic.placements import Placements

# SSDA903 reason episode ceased -> CIN closure reason
_CLOSURE = {
    "E11": "RC1",
    "E12": "RC1",
    "E2": "RC2",
    "E41": "RC3",
    "E45": "RC4",
    "E46": "RC4",
    "E47": "RC4",
    "E48": "RC4",
    "E3": "RC5",
    "E7": "RC6",
}
_HOME = ("E4A", "E4B", "E13")


@dataclass
class Period:
    """A period of care being planned: its legal statuses, care plans and placement events."""

    s: int
    t: int
    age: int
    route: str
    legal: list[tuple[int, str]] = field(default_factory=list)
    plans: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    forced: list[tuple[int, str]] = field(default_factory=list)  # placement events
    kin: bool = False
    perm: dict[str, Any] = field(default_factory=dict)
    end: int | None = None
    exit_code: str = ""

    def plan(self, d: int, key: str) -> None:
        self.plans.append((d, (key,)))


class Care(Placements, Adoption):
    """A period of care from its start to its end."""

    def care_period(
        self, rng: random.Random, c: Child, e: Episode, s: int, route: str, need: str
    ) -> tuple[int, str]:
        """A period of care: legal statuses, placements, permanence, exit. Returns (end, next)."""
        if s < c.dob:
            s = c.dob + self.p.care.before_birth_start_days.draw(rng)
        pp = Period(s, s, self.age(c, s), route)
        if pp.route == "emergency":
            self._emergency(rng, pp)
        if pp.route == "remand":
            self._remand(rng, pp)
        if pp.route == "uasc":
            self._uasc(rng, pp)
        if pp.route == "vol" and pp.end is None:
            self._voluntary(rng, pp)
        if pp.route == "protect" and pp.end is None:
            self._proceedings(rng, c, pp)
        if pp.route == "vol" and pp.end is None and not pp.legal:
            pp.legal.append((pp.t, "V2"))
        end = self._exit(rng, c, e, pp)
        return self._write_period(rng, c, e, pp, end, need)

    def _emergency(self, rng: random.Random, pp: Period) -> None:
        """Police protection (L1), an emergency protection order (L2) or s20 (V2) first."""
        q = self.p.care
        first = q.emergency_legal.pick(rng.random())
        pp.legal.append((pp.t, first))
        if first == "V2":
            pp.route = "vol"
            return
        pp.t += (q.police_protection_days if first == "L1" else q.epo_days).draw(rng)
        nxt = q.emergency_next.pick(rng.random())
        if nxt == "home":
            pp.end, pp.exit_code = pp.t, q.emergency_home_exit.pick(rng)
            pp.plan(pp.s, "RETURN1M")
            return
        pp.route = nxt
        if pp.route == "vol":
            pp.legal.append((pp.t, "V2"))
        if rng.random() < q.p_emergency_move:
            pp.forced.append((pp.t, "move"))  # new order and new carers the same day: B

    def _remand(self, rng: random.Random, pp: Period) -> None:
        q = self.p.care
        pp.legal.append((pp.t, "J1"))
        pp.end = pp.t + q.remand_days.draw(rng)
        pp.exit_code = q.remand_exit.pick(rng)
        pp.plan(pp.s, "OTHERPLN")

    def _uasc(self, rng: random.Random, pp: Period) -> None:
        """Unaccompanied children: s20, and a few leave care early (E3, E15, E8)."""
        q = self.p.care
        pp.legal.append((pp.t, "V2"))
        pp.plan(pp.s, "SUPPLIV" if pp.age >= q.supported_living_from_age else "LTFOST18")
        code = q.uasc_exit.pick(rng.random())
        days = {"E3": q.uasc_e3_days, "E15": q.uasc_e15_days, "E8": q.uasc_e8_days}.get(code)
        if days is not None:
            pp.end, pp.exit_code = pp.t + days.draw(rng), code

    def _voluntary(self, rng: random.Random, pp: Period) -> None:
        """Accommodated under s20: home again, settled in care, or proceedings after all."""
        q = self.p.care
        if not pp.legal:
            pp.legal.append((pp.t, "V2"))
        u = rng.random()
        if pp.age < q.voluntary_young_below_age:
            what = q.voluntary_young.pick(u)
            if what == "home":
                pp.end = pp.t + q.voluntary_young_home_days.draw(rng)
                pp.exit_code = q.voluntary_young_home_exit.pick(rng)
                pp.plan(pp.s, q.voluntary_young_home_plan.pick(rng))
            elif what == "protect":
                pp.t += q.proceedings_after_s20_days.draw(rng)
                pp.route = "protect"
                pp.plan(pp.s, "RETURN6M")
            else:
                pp.plan(pp.s, "LTFOST18")
            return
        what = q.voluntary_older.pick(u)
        if what == "home":
            pp.end = pp.t + q.voluntary_older_home_days.draw(rng)
            pp.exit_code = q.voluntary_older_home_exit.pick(rng)
            pp.plan(pp.s, q.voluntary_older_home_plan.pick(rng))
        elif what == "stay":
            if pp.age >= q.supported_living_from_age:
                pp.plan(pp.s, "SUPPLIV")
            else:
                pp.plan(pp.s, q.voluntary_older_stay_plan.pick(rng))
        else:
            pp.t += q.proceedings_after_s20_days.draw(rng)
            pp.route = "protect"
            pp.plan(pp.s, "RETURNEV")

    def _proceedings(self, rng: random.Random, c: Child, pp: Period) -> None:
        """Care proceedings (C1) to the final hearing and the permanence outcome."""
        q = self.p.care
        if not pp.legal or pp.legal[-1][1] != "C1":
            pp.legal.append((pp.t, "C1"))
        age_t = self.age(c, pp.t)
        fh = pp.t + q.final_hearing_days.draw(rng)
        u = rng.random()
        if age_t < 1:
            outcome = q.outcome_under1.pick(u)
        elif age_t < 5:
            outcome = q.outcome_1_to_4.pick(u)
        elif age_t < 12:
            outcome = q.outcome_5_to_11.pick(u)
        else:
            outcome = q.outcome_12_plus.pick(u)
        if not pp.plans:
            pp.plan(pp.s, "RETURNEV")
        pp.kin = outcome == "sgo" or (outcome == "lt" and rng.random() < q.p_kinship_long_term)
        if pp.kin:
            pp.forced.append((pp.t + q.kinship_placement_days.draw(rng), "kin"))
            pp.plan(pp.t + q.kinship_plan_days.draw(rng), "LTRELFR")
        if outcome == "adopt":
            outcome = self._adoption_plan(rng, pp, fh)
        self._after_hearing(rng, pp, fh, outcome)

    def _after_hearing(self, rng: random.Random, pp: Period, fh: int, outcome: str) -> None:
        """Special guardianship, a child arrangements order, home, or long-term care."""
        q = self.p.care
        if outcome == "sgo":
            pp.end = fh
            pp.exit_code = q.sgo_exit.pick(rng)
            pp.perm.update(order=pp.end, type="SGO")
        elif outcome == "cao":
            pp.end, pp.exit_code = fh, "E41"
            pp.perm.update(order=pp.end, type="CAO")
            pp.plan(pp.t, "RETURNEV")
        elif outcome == "home":
            if rng.random() < q.p_placed_with_parents:
                pp.legal.append((fh, "C2"))
                pp.forced.append((fh, "p1"))
                pp.end = fh + q.placed_with_parents_days.draw(rng)
            else:
                pp.end = fh
            pp.exit_code = "E4A"
            pp.plan(pp.t + q.home_plan_after_days, "RETURN6M")
        elif outcome in ("lt", "sgo_late"):
            if not pp.legal or pp.legal[-1][1] not in ("C2",):
                pp.legal.append((fh, "C2"))
            if not any(k == ("LTFOST18",) for _, k in pp.plans):
                pp.plan(fh, "LTRELFR" if pp.kin else "LTFOST18")
            pp.forced.append((fh + q.long_term_match_days.draw(rng), "lt"))
            later = q.long_term_later.pick(rng.random())
            if outcome == "sgo_late" or later == "sgo":
                pp.end = fh + q.sgo_later_days.draw(rng)
                pp.exit_code = "E45" if pp.kin else "E46"
                pp.perm.update(order=pp.end, type="SGO")
            elif later == "home":
                pp.end, pp.exit_code = fh + q.home_later_days.draw(rng), "E4A"

    def _adoption_plan(self, rng: random.Random, pp: Period, fh: int) -> str:
        """Plan for adoption: placement order (or not), match, placement, adoption order.
        Returns the outcome, "lt" or "sgo_late" when the plan changes."""
        q = self.p.care
        adm = pp.t + q.adoption_decision_days.draw(rng)
        # the decision comes before the placement order the LA applies for (DfE 903 rule 554)
        adm = max(pp.t, min(adm, fh - q.adoption_decision_before_order_days))
        ffa = rng.random() < q.p_ffa
        pp.perm["adm"] = adm
        dual = rng.random() < q.p_parallel_plan  # parallel planning until the placement order
        pp.plans.append((adm, ("ADOPTION", "RETURNEV") if dual else ("ADOPTION",)))
        if ffa:
            ffa_at = min(adm + q.ffa_after_decision_days.draw(rng), fh - q.ffa_before_hearing_days)
            pp.perm["ffa_dec"] = ffa_at - q.ffa_decision_before_days.draw(rng)
            pp.perm["ffa"] = ffa_at
            pp.forced.append((ffa_at, "ffa"))
        p_refused = q.p_no_placement_order * q.p_adoption_reversed / q.adoption_reversed_reference
        if rng.random() < p_refused:
            # the court did not make a placement order
            pp.perm["rev"], pp.perm["rev_reason"] = fh, "RD2"
            pp.legal.append((fh, "C2"))
            outcome = q.after_reversal.pick(rng)
            pp.plan(fh, "LTFOST18")
            return outcome
        pp.legal.append((fh, "E1"))
        pp.perm["po"] = fh
        if rng.random() < q.p_adoption_reversed * q.reversed_after_order_share:
            rev = fh + q.reversal_days.draw(rng)
            pp.perm["rev"], pp.perm["rev_reason"] = rev, q.reversal_reason.pick(rng.random())
            if pp.perm["rev_reason"] == "RD2":
                pp.perm["rev_reason"] = "RD3"
            pp.legal.append((rev, "C2"))
            pp.plan(rev, "LTFOST18")
            return q.after_reversal.pick(rng)
        self._adoption(rng, pp, fh, ffa)
        return "adopt"

    def _adoption(self, rng: random.Random, pp: Period, fh: int, ffa: bool) -> None:
        q = self.p.care
        if ffa:
            matched = fh + q.ffa_match_days.draw(rng)
        else:
            matched = fh + self.lognorm(rng, q.match_median_days, q.match_sigma)
        placed = matched + q.placed_after_match_days.draw(rng)
        if ffa and rng.random() < q.p_ffa_placed_at_order:
            matched = placed = fh  # order and adoptive placement together: U
        order = placed + q.adoption_order_days.draw(rng)
        same = ffa or rng.random() < q.p_adopted_by_carer
        pp.perm.update(matched=matched, placed=placed, order=order, type="ADOPTION", by_carer=same)
        pp.forced.append((placed, "adopt_same" if same else "adopt_new"))
        pp.end = order
        pp.exit_code = q.adoption_exit.pick(rng)
        if rng.random() < q.p_own_adopters:
            pp.perm["family"] = self.own_family(
                rng, matched, placed, order, ffa, pp.perm.get("ffa")
            )

    def _exit(self, rng: random.Random, c: Child, e: Episode, pp: Period) -> int:
        """Leaving care at 18, the 16+ move to semi-independent living, the move to the children
        in care team. Returns the end of the period."""
        q = self.p.care
        s, d18 = pp.s, c.d18
        d16 = add_mo(c.dob, 192)
        end = pp.end
        if end is None or end >= d18:
            if end is not None and end > d18:
                pp.perm.pop("order", None)
                pp.perm.pop("type", None)
            end, pp.exit_code = d18, q.ceased_at_18.pick(rng.random())
            if pp.route == "uasc" and pp.exit_code == "E17":
                pp.exit_code = "E5"
        if end <= s:
            end = s + 1
        if s < d16 < end - q.semi_independent_min_days_left and rng.random() < q.p_semi_independent:
            pp.forced.append((d16 + q.semi_independent_move_days.draw(rng), "h5"))
            pp.plan(d16, "SUPPLIV")
        if rng.random() < q.p_death and pp.exit_code not in ("E11", "E12"):
            pp.exit_code = "E2" if pp.age < q.death_under_age else pp.exit_code
        if pp.exit_code == "E2":
            c.death = end
        if c.kind != "disabled" and pp.route != "remand":
            days = q.cic_team_after_days_uasc if pp.route == "uasc" else q.cic_team_after_days
            move = s + days.draw(rng)
            if move < end:
                self.seg(rng, e, "CIC", move, "Transferred to children in care team")
        pp.end = end
        return end

    def _write_period(
        self, rng: random.Random, c: Child, e: Episode, pp: Period, end: int, need: str
    ) -> tuple[int, str]:
        """Write the period's rows and permanence; returns (end, what follows)."""
        s, perm, exit_code = pp.s, pp.perm, pp.exit_code
        period = self.emit_period(
            rng,
            c,
            e,
            s,
            end,
            exit_code,
            pp.legal,
            pp.plans,
            pp.forced,
            pp.kin,
            pp.route,
            need,
            perm,
        )
        if (
            perm.get("adm") is not None
            and (perm.get("rev") is None or perm["rev"] > end)
            and exit_code not in ("E11", "E12")
            and end <= self.A
        ):
            # a decision to place for adoption that care ended without (e.g. the child died, before
            # a planned reversal) has ceased then, for "any other reason" (DfE 903 rule 557); no
            # random draw
            perm["rev"], perm["rev_reason"] = end, "RD4"
        if perm:
            self.permanence(c, period, perm, e.ref)
        if perm.get("type") in ("SGO", "CAO") and end <= self.A:
            self.legal_row(c, e, "NONLAC", end, None)
        c.care.append((s, end))
        if exit_code in _HOME:
            c.care_exit_home = True
        if end > self.A:
            return end, "open"
        nxt = _CLOSURE.get(exit_code)
        if nxt is None:
            if end >= c.d18:
                nxt = "RC6" if rng.random() < self.p.care.p_adult_services_at_18 else "RC7"
            elif exit_code in _HOME:
                nxt = "home"
            else:
                nxt = "RC7"
        return end, nxt
