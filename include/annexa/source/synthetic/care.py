"""Entering and leaving care: the legal route, the care plan and the exit of a period of care."""

from __future__ import annotations

import random
from typing import Any

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.adoption import Adoption
from annexa.source.synthetic.base import Child, Episode
from annexa.source.synthetic.common import add_mo
from annexa.source.synthetic.placements import Placements

_CEASED_18 = K.W(
    [
        ("E17", 22),
        ("E5", 45),
        ("E6", 5),
        ("E8", 10),
        ("E13", 8),
        ("E4A", 6),
        ("E7", 2),
        ("E9", 2),
    ]
)


class Care(Placements, Adoption):
    """A period of care from its start to its end."""

    def care_period(
        self, rng: random.Random, c: Child, e: Episode, s: int, route: str, need: str
    ) -> tuple[int, str]:
        """A period of care: legal statuses, placements, permanence, exit. Returns (end, next)."""
        p = self.p
        if s < c.dob:
            s = c.dob + int(rng.random() * 3)
        age = self.age(c, s)
        d16, d18 = add_mo(c.dob, 192), c.d18
        legal: list[tuple[int, str]] = []
        plans: list[tuple[int, tuple[str, ...]]] = []
        forced: list[tuple[int, str]] = []  # placement events: (date, what)
        kin = False
        perm: dict[str, Any] = {}
        end: int | None = None
        exit_code = ""
        t = s

        if route == "emergency":
            u = rng.random()
            first = "L1" if u < 0.55 else "L2" if u < 0.85 else "V2"
            legal.append((t, first))
            if first != "V2":
                t = t + (1 + int(rng.random() * 3) if first == "L1" else 3 + int(rng.random() * 6))
                v = rng.random()
                if v < 0.2:
                    end, exit_code = t, ("E4A" if rng.random() < 0.6 else "E13")
                    plans.append((s, ("RETURN1M",)))
                else:
                    route = "protect" if v < 0.75 else "vol"
                    if route == "vol":
                        legal.append((t, "V2"))
                    if rng.random() < 0.5:
                        forced.append((t, "move"))  # new order and new carers the same day: B
            else:
                route = "vol"
        if route == "remand":
            legal.append((t, "J1"))
            end = t + 14 + int(rng.random() * 110)
            exit_code = "E14" if rng.random() < 0.8 else "E9"
            plans.append((s, ("OTHERPLN",)))
        if route == "uasc":
            legal.append((t, "V2"))
            plans.append((s, ("SUPPLIV",) if age >= 16 else ("LTFOST18",)))
            u = rng.random()
            if u < 0.08:
                end, exit_code = t + 10 + int(rng.random() * 60), "E3"
            elif u < 0.12:
                end, exit_code = t + 20 + int(rng.random() * 200), "E15"
            elif u < 0.15:
                end, exit_code = t + 30 + int(rng.random() * 300), "E8"
        if route == "vol" and end is None:
            if not legal:
                legal.append((t, "V2"))
            u = rng.random()
            if age < 12:
                if u < 0.6:
                    end, exit_code = (
                        t + 14 + int(rng.random() * 260),
                        ("E4A" if rng.random() < 0.8 else "E13"),
                    )
                    plans.append((s, ("RETURN1M",) if rng.random() < 0.5 else ("RETURN6M",)))
                elif u < 0.9:
                    t = t + 30 + int(rng.random() * 150)
                    route = "protect"
                    plans.append((s, ("RETURN6M",)))
                else:
                    plans.append((s, ("LTFOST18",)))
            else:
                if u < 0.55:
                    end = t + 20 + int(rng.random() * 340)
                    exit_code = (
                        "E4A" if rng.random() < 0.6 else "E4B" if rng.random() < 0.4 else "E13"
                    )
                    plans.append((s, ("RETURN6M",) if rng.random() < 0.6 else ("RETURNEV",)))
                elif u < 0.88:
                    plans.append(
                        (
                            s,
                            ("SUPPLIV",)
                            if age >= 16
                            else ("LTFOST18",)
                            if rng.random() < 0.7
                            else ("RESPLMT",),
                        )
                    )
                else:
                    t = t + 30 + int(rng.random() * 150)
                    route = "protect"
                    plans.append((s, ("RETURNEV",)))
        if route == "protect" and end is None:
            if not legal or legal[-1][1] != "C1":
                legal.append((t, "C1"))
            age_t = self.age(c, t)
            fh = t + 180 + int(rng.random() * 200)
            u = rng.random()
            if age_t < 1:
                outcome = (
                    "adopt"
                    if u < 0.5
                    else "sgo"
                    if u < 0.75
                    else "home"
                    if u < 0.84
                    else "lt"
                    if u < 0.96
                    else "cao"
                )
            elif age_t < 5:
                outcome = (
                    "adopt"
                    if u < 0.3
                    else "sgo"
                    if u < 0.57
                    else "home"
                    if u < 0.7
                    else "lt"
                    if u < 0.95
                    else "cao"
                )
            elif age_t < 12:
                outcome = (
                    "adopt"
                    if u < 0.015
                    else "sgo"
                    if u < 0.27
                    else "home"
                    if u < 0.58
                    else "lt"
                    if u < 0.95
                    else "cao"
                )
            else:
                outcome = "sgo" if u < 0.08 else "home" if u < 0.45 else "lt"
            if not plans:
                plans.append((s, ("RETURNEV",)))
            kin = outcome == "sgo" or (outcome == "lt" and rng.random() < 0.12)
            if kin:
                forced.append((t + int(rng.random() * 60), "kin"))
                plans.append((t + 30 + int(rng.random() * 60), ("LTRELFR",)))
            if outcome == "adopt":
                adm = t + 80 + int(rng.random() * 140)
                ffa = rng.random() < p.care.p_ffa
                perm["adm"] = adm
                dual = rng.random() < 0.2  # parallel planning until the placement order
                plans.append((adm, ("ADOPTION", "RETURNEV") if dual else ("ADOPTION",)))
                if ffa:
                    ffa_at = min(adm + 5 + int(rng.random() * 40), fh - 10)
                    perm["ffa_dec"] = ffa_at - 3 - int(rng.random() * 10)
                    perm["ffa"] = ffa_at
                    forced.append((ffa_at, "ffa"))
                if rng.random() < 0.2 * p.care.p_adoption_reversed / 0.12:
                    # the court did not make a placement order
                    perm["rev"], perm["rev_reason"] = fh, "RD2"
                    legal.append((fh, "C2"))
                    outcome = "lt" if rng.random() < 0.7 else "sgo_late"
                    plans.append((fh, ("LTFOST18",)))
                else:
                    legal.append((fh, "E1"))
                    perm["po"] = fh
                    if rng.random() < p.care.p_adoption_reversed * 0.8:
                        rev = fh + 60 + int(rng.random() * 480)
                        perm["rev"], perm["rev_reason"] = rev, K.REVERSAL.pick(rng.random())
                        if perm["rev_reason"] == "RD2":
                            perm["rev_reason"] = "RD3"
                        legal.append((rev, "C2"))
                        plans.append((rev, ("LTFOST18",)))
                        outcome = "lt" if rng.random() < 0.7 else "sgo_late"
                    else:
                        matched = fh + (
                            int(rng.random() * 60) if ffa else self.lognorm(rng, 190, 0.6)
                        )
                        placed = matched + 7 + int(rng.random() * 35)
                        if ffa and rng.random() < 0.4:
                            matched = placed = fh  # order and adoptive placement together: U
                        order = placed + 120 + int(rng.random() * 300)
                        same = ffa or rng.random() < 0.1
                        perm.update(
                            matched=matched,
                            placed=placed,
                            order=order,
                            type="ADOPTION",
                            by_carer=same,
                        )
                        forced.append((placed, "adopt_same" if same else "adopt_new"))
                        end = order
                        exit_code = "E11" if rng.random() < 0.7 else "E12"
                        if rng.random() < p.care.p_own_adopters:
                            perm["family"] = self.own_family(
                                rng, matched, placed, order, ffa, perm.get("ffa")
                            )
            if outcome == "sgo":
                end = fh
                exit_code = "E45" if rng.random() < 0.75 else "E47"
                perm.update(order=end, type="SGO")
            elif outcome == "cao":
                end, exit_code = fh, "E41"
                perm.update(order=end, type="CAO")
                plans.append((t, ("RETURNEV",)))
            elif outcome == "home":
                if rng.random() < 0.5:
                    legal.append((fh, "C2"))
                    forced.append((fh, "p1"))
                    end = fh + 120 + int(rng.random() * 600)
                else:
                    end = fh
                exit_code = "E4A"
                plans.append((t + 20, ("RETURN6M",)))
            elif outcome in ("lt", "sgo_late"):
                if not legal or legal[-1][1] not in ("C2",):
                    legal.append((fh, "C2"))
                if not any(k == ("LTFOST18",) for _, k in plans):
                    plans.append((fh, ("LTRELFR",) if kin else ("LTFOST18",)))
                forced.append((fh + int(rng.random() * 200), "lt"))
                v = rng.random()
                if outcome == "sgo_late" or v < 0.16:
                    end = fh + 365 + int(rng.random() * 1500)
                    exit_code = "E45" if kin else "E46"
                    perm.update(order=end, type="SGO")
                elif v < 0.3:
                    end, exit_code = fh + 180 + int(rng.random() * 1300), "E4A"
        if route == "vol" and end is None and not legal:
            legal.append((t, "V2"))

        # leaving care at 18, and the 16+ move to semi-independent living
        if end is None or end >= d18:
            if end is not None and end > d18:
                perm.pop("order", None)
                perm.pop("type", None)
            end, exit_code = d18, _CEASED_18.pick(rng.random())
            if route == "uasc" and exit_code == "E17":
                exit_code = "E5"
        if end <= s:
            end = s + 1
        if s < d16 < end - 120 and rng.random() < 0.35:
            forced.append((d16 + 180 + int(rng.random() * 360), "h5"))
            plans.append((d16, ("SUPPLIV",)))
        if rng.random() < 0.005 and exit_code not in ("E11", "E12"):
            exit_code = "E2" if age < 16 else exit_code
        if exit_code == "E2":
            c.death = end
        if c.kind != "disabled" and route != "remand":
            move = s + (
                5 + int(rng.random() * 25) if route == "uasc" else 30 + int(rng.random() * 90)
            )
            if move < end:
                self.seg(rng, e, "CIC", move, "Transferred to children in care team")
        period = self.emit_period(
            rng, c, e, s, end, exit_code, legal, plans, forced, kin, route, need, perm
        )
        if perm:
            self.permanence(c, period, perm, e.ref)
        if perm.get("type") in ("SGO", "CAO") and end <= self.A:
            self.legal_row(c, e, "NONLAC", end, None)
        c.care.append((s, end))
        if exit_code in ("E4A", "E4B", "E13"):
            c.care_exit_home = True
        if end > self.A:
            return end, "open"
        nxt = {
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
        }.get(exit_code)
        if nxt is None:
            if end >= d18:
                nxt = "RC6" if rng.random() < 0.08 else "RC7"
            elif exit_code in ("E4A", "E4B", "E13"):
                nxt = "home"
            else:
                nxt = "RC7"
        return end, nxt
