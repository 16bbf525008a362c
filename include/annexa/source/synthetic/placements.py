"""Periods of care written out: placements, SSDA903 episodes, legal statuses, care plans."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from annexa.source.synthetic.base import Child, Episode
from annexa.source.synthetic.care_records import CareRecords
from annexa.source.synthetic.providers import Carer

# the Supported Accommodation (England) Regulations 2023: in force 28 October 2023
SUPPORTED = dt.date(2023, 10, 28).toordinal()
# the first day of the 2025/26 collection year, when DfE split the 903's "other placement" Z1
# into Z11-Z14 (a Z1 still open then continues as one of them: DfE 503D)
Z1_SPLIT = dt.date(2025, 4, 1).toordinal()
Z1_CODES = ("Z11", "Z12", "Z13", "Z14")
FOSTER = ("U1", "U2", "U3", "U4", "U5", "U6")
# a special guardianship order to former foster carers (E45 relative or friend, E46 other) ->
# the same order to carers other than former foster carers (E47, E48)
_SGO_NOT_FOSTER = {"E45": "E47", "E46": "E48"}


def _statuses(legal: list[tuple[int, str]], s: int, end: int) -> list[tuple[int, str]]:
    """Legal statuses sorted and de-duplicated, none before the period starts."""
    leg: list[tuple[int, str]] = []
    for d, code in sorted(legal):
        d = max(d, s)
        if d >= end and leg:
            continue
        if leg and leg[-1][0] == d:
            leg[-1] = (d, code)
        elif not leg or leg[-1][1] != code:
            leg.append((d, code))
    return leg


class Placements(CareRecords):
    """Placements and the episodes, legal statuses and care plans of a period of care."""

    def legal_row(self, c: Child, e: Episode, code: str, s: int, end: int | None) -> None:
        if s <= self.A:
            e.add(
                "ssd_legal_status", (self.ids.new("ssd_legal_status"), c.id, code, s, self.m(end))
            )

    def emit_period(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        s: int,
        end: int,
        exit_code: str,
        legal: list[tuple[int, str]],
        plans: list[tuple[int, tuple[str, ...]]],
        forced: list[tuple[int, str]],
        kin: bool,
        route: str,
        need: str,
        perm_info: dict[str, Any],
    ) -> str:
        """Write one period of care: placements, episodes, legal statuses and the care record."""
        period = self.ids.new("period")
        leg = _statuses(legal, s, end)
        places = self.placements(rng, c, s, end, forced, kin, route, perm_info)
        placement_ids = self._placement_rows(rng, c, e, period, end, places)
        iro = self.reviews_visits_health(rng, c, e, period, s, end, places, route)
        clae_need = need if need not in ("N0", "N9") else "N1"
        # the missing episodes are drawn before the episode rows are written (which draw
        # nothing), so the draws are as before; a child missing when care ends at 18 has
        # ceased "for any other reason", E8 (DfE 903 rule 580)
        missing_at_end = self.missing(rng, c, e, s, end, places, [d for d, _ in leg])
        if missing_at_end and end == c.d18 and exit_code != "E2":
            exit_code = "E8"
        # an SGO to former foster carers is made while the child lives with them (DfE 516)
        if exit_code in _SGO_NOT_FOSTER and places[-1][1].type not in FOSTER:
            exit_code = _SGO_NOT_FOSTER[exit_code]
        self._episode_rows(
            c, e, period, s, end, exit_code, leg, places, placement_ids, clae_need, iro
        )
        for i, (d, code) in enumerate(leg):
            lend = leg[i + 1][0] if i + 1 < len(leg) else end
            self.legal_row(c, e, code, d, lend)
        self._care_plan_rows(c, e, s, end, plans)
        return period

    def _placement_rows(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        period: str,
        end: int,
        places: list[tuple[int, Carer]],
    ) -> list[str]:
        """One row per placement started by the as-at date; returns every placement's id."""
        A = self.A
        placement_ids: list[str] = []
        for i, (ps, carer) in enumerate(places):
            pend = places[i + 1][0] if i + 1 < len(places) else end
            pid = self.ids.new("ssd_cla_placement")
            placement_ids.append(pid)
            if ps <= A:
                change = None
                if i + 1 < len(places) and pend <= A:
                    change = (
                        "PLACE"
                        if places[i + 1][1].key == carer.key
                        else self.p.codes.placement_change_reason.pick(rng.random())
                    )
                e.add(
                    "ssd_cla_placement",
                    (
                        pid,
                        period,
                        c.id,
                        ps,
                        self.m(pend),
                        carer.type,
                        carer.provider,
                        carer.postcode,
                        carer.urn,
                        carer.distance,
                        change,
                    ),
                )
        return placement_ids

    def _episode_rows(
        self,
        c: Child,
        e: Episode,
        period: str,
        s: int,
        end: int,
        exit_code: str,
        leg: list[tuple[int, str]],
        places: list[tuple[int, Carer]],
        placement_ids: list[str],
        clae_need: str,
        iro: int | None,
    ) -> None:
        """SSDA903 episodes at every change of legal status or placement, with the reason (RNE)."""
        A = self.A
        changes = sorted({d for d, _ in leg if s <= d < end} | {d for d, _ in places if d < end})
        nep = len(changes)
        li = pi = 0
        prev_leg: str | None = None
        prev_carer: Carer | None = None
        for k, d in enumerate(changes):
            while li + 1 < len(leg) and leg[li + 1][0] <= d:
                li += 1
            while pi + 1 < len(places) and places[pi + 1][0] <= d:
                pi += 1
            code, carer = leg[li][1], places[pi][1]
            if k == 0:
                rne = "S"
            else:
                legal_changed = code != prev_leg
                assert prev_carer is not None
                if carer is prev_carer:
                    rne = "L"
                elif carer.key == prev_carer.key:
                    rne = "U" if legal_changed else "T"
                else:
                    rne = "B" if legal_changed else "P"
            prev_leg, prev_carer = code, carer
            ceased = changes[k + 1] if k + 1 < nep else end
            reason = "X1" if k + 1 < nep else exit_code
            if d <= A:
                e.add(
                    "ssd_cla_episodes",
                    (
                        self.ids.new("ssd_cla_episodes"),
                        c.id,
                        period,
                        placement_ids[pi],
                        d,
                        rne,
                        clae_need,
                        self.m(ceased),
                        reason if ceased <= A else None,
                        e.ref,
                        iro,
                        s,
                    ),
                )

    def _care_plan_rows(
        self, c: Child, e: Episode, s: int, end: int, plans: list[tuple[int, tuple[str, ...]]]
    ) -> None:
        """Care plan records (permanence plan keys), de-duplicated, near the window."""
        pl: list[tuple[int, tuple[str, ...]]] = []
        for d, keys in sorted(plans):
            d = min(max(d, s), end)
            if pl and pl[-1][0] == d:
                pl[-1] = (d, keys)
            elif not pl or pl[-1][1] != keys:
                pl.append((d, keys))
        kept_from = self.ws - self.p.placements.care_plans_kept_before_window_days
        for i, (d, keys) in enumerate(pl):
            pend = pl[i + 1][0] if i + 1 < len(pl) else end
            if d <= self.A and pend >= kept_from:
                e.add(
                    "ssd_cla_care_plan",
                    (
                        self.ids.new("ssd_cla_care_plan"),
                        c.id,
                        d,
                        self.m(pend),
                        self.plan_json(keys),
                    ),
                )

    def placements(
        self,
        rng: random.Random,
        c: Child,
        s: int,
        end: int,
        forced: list[tuple[int, str]],
        kin: bool,
        route: str,
        info: dict[str, Any],
    ) -> list[tuple[int, Carer]]:
        """The sequence of placements (start, carer) over the period: natural ends of stays
        and the forced events of the care plan (kinship, FFA, adoption, home, long-term, 16+)."""
        q, prov = self.p.placements, self.prov
        age = max(0, self.age(c, s))
        stable_p = (
            q.p_stable_under10 if age < 10 else q.p_stable_10_13 if age < 14 else q.p_stable_14plus
        )
        stable = rng.random() < stable_p
        forced = sorted(f for f in forced if s < f[0] < end)
        if route == "uasc":
            cur = prov.pick(rng, prov.semi) if age >= 16 else prov.foster(rng, "U6")
        elif kin and forced and forced[0][1] == "kin" and forced[0][0] - s < q.kinship_first_days:
            cur = prov.carer(rng, "U3", "PR1", q.p_inside_kinship)
            forced = forced[1:]
        else:
            cur = prov.new_placement(rng, age)
        out: list[tuple[int, Carer]] = [(s, cur)]
        t = s
        emergency = rng.random() < q.p_emergency_first_placement
        fi = 0
        hi = min(end, self.A + 1)
        while True:
            nat = t + self._stay(rng, c, t, cur, stable, emergency and len(out) == 1)
            if fi < len(forced) and forced[fi][0] <= nat:
                t, what = forced[fi]
                fi += 1
                if t >= hi:
                    break
                new = self._forced_carer(rng, c, t, what, cur, out, info)
                if new is None:
                    continue
                cur = new
                if t == out[-1][0]:
                    out[-1] = (t, cur)
                else:
                    out.append((t, cur))
                continue
            t = nat
            if t >= hi:
                break
            if cur.type.startswith("A") or cur.type == "P1":
                continue  # adoptive or home placements end with the period
            cur = prov.new_placement(rng, max(0, self.age(c, t)))
            out.append((t, cur))
        return [
            (t, self._recoded(cr, out[i + 1][0] if i + 1 < len(out) else end))
            for i, (t, cr) in enumerate(out)
        ]

    def _recoded(self, cr: Carer, pend: int) -> Carer:
        """A placement as the CMS records it after the reforms, by its end (no random draw).

        From 28 October 2023 a looked-after child under 18 cannot live in unregulated
        independent living (P2, gone from the SSDA903's codes, DfE rule 146): a P2 placement
        still in place then is in registered supported accommodation instead. From the 2025/26
        year the CMS records an "other placement" by DfE's sub-code (Z11-Z14; Annex A's list
        keeps Z1): one in place on or after 1 April 2025 is recorded so, the sub-code chosen by
        the placement's key (the synthetic settings have no real kind to tell them apart)."""
        if cr.type == "P2" and pend > SUPPORTED:
            return self.prov.supported_accommodation(cr)
        if cr.type == "Z1" and pend >= Z1_SPLIT:
            sub = Z1_CODES[cr.key % len(Z1_CODES)]
            return Carer(cr.key, sub, cr.provider, cr.postcode, cr.urn, cr.distance)
        return cr

    def _stay(
        self, rng: random.Random, c: Child, t: int, cur: Carer, stable: bool, emergency: bool
    ) -> int:
        """How long a placement lasts if nothing in the plan ends it first."""
        q = self.p.placements
        if emergency:
            return q.emergency_stay_days.draw(rng)
        if cur.type in ("U1", "U3", "P1") or cur.type.startswith("A"):
            return self.lognorm(rng, q.long_term_median_days, q.long_term_sigma)
        if cur.type == "H5":
            return self.lognorm(rng, q.semi_independent_median_days, q.semi_independent_sigma)
        if cur.type in ("K1", "R5", "T4", "Z1"):
            return q.short_setting_days.draw(rng)
        med = q.stable_median_days if stable else q.unstable_median_days
        if cur.type == "K2":
            med = min(med, q.home_median_cap_days)
        if max(0, self.age(c, t)) >= q.teenage_from_age:
            med *= q.teenage_factor
        return self.lognorm(rng, med, q.stay_sigma)

    def _forced_carer(
        self,
        rng: random.Random,
        c: Child,
        t: int,
        what: str,
        cur: Carer,
        out: list[tuple[int, Carer]],
        info: dict[str, Any],
    ) -> Carer | None:
        """The carer after a planned event, or None when the event changes nothing."""
        q, prov = self.p.placements, self.prov
        if what == "kin":
            return prov.carer(rng, "U3", "PR1", q.p_inside_kinship)
        if what == "ffa":
            return prov.carer(rng, "U5", "PR1", q.p_inside_ffa)
        if what == "adopt_same":
            since = t
            for d0, cr in reversed(out):
                if cr.key != cur.key:
                    break
                since = d0
            info["fc_date"] = since
            return Carer(cur.key, "A5", cur.provider, cur.postcode, cur.urn, cur.distance)
        if what == "adopt_new":
            provider = q.adopters_provider.pick(rng.random())
            return prov.carer(rng, q.adoptive_type.pick(rng), provider, q.p_inside_adopters)
        if what == "move":
            return prov.new_placement(rng, max(0, self.age(c, t)))
        if what == "p1":
            return prov.carer(rng, "P1", "PR0", q.p_inside_parents)
        if what == "lt":
            if cur.type not in ("U6", "U3"):
                return None
            lt_type = "U4" if cur.type == "U6" else "U1"
            return Carer(cur.key, lt_type, cur.provider, cur.postcode, cur.urn, cur.distance)
        if what == "h5":
            if (
                cur.type in ("U4", "U6", "K2", "U3", "U1")
                and rng.random() < q.p_semi_independent_move
            ):
                return prov.pick(rng, prov.semi)
            return None
        return cur

    def short_breaks(
        self, rng: random.Random, c: Child, e: Episode, s: int, end: int, need: str
    ) -> None:
        """Agreed short breaks (V3 episodes or a V4 agreement): care periods outside List 8."""
        q, prov = self.p.placements, self.prov
        if rng.random() < q.p_short_breaks_in_home:
            home = prov.pick(rng, prov.homes)
        else:
            home = prov.carer(rng, "U6", "PR1", q.p_inside_short_breaks)
        hi = min(end, self.A, c.d18)
        if rng.random() < q.p_short_breaks_agreement:
            # one period per yearly agreement (V4)
            t = s
            while t <= hi:
                pe = min(t + q.agreement_days.draw(rng), end)
                self.simple_period(c, e, t, pe, "V4", home, need)
                t = pe + q.agreement_gap_days.draw(rng)
            return
        t = s
        if t < self.ws - q.short_breaks_resume_before_window_days:
            t = self.ws - q.short_breaks_resume_days.draw(rng)
        while t + q.short_break_min_lead_days <= hi:
            pe = t + q.short_break_days.draw(rng)
            self.simple_period(c, e, t, pe, "V3", home, need)
            t = pe + q.short_break_gap_days.draw(rng)

    def simple_period(
        self, c: Child, e: Episode, s: int, end: int, legal: str, carer: Carer, need: str
    ) -> None:
        period = self.ids.new("period")
        pid = self.ids.new("ssd_cla_placement")
        if s > self.A:
            return
        e.add(
            "ssd_cla_placement",
            (
                pid,
                period,
                c.id,
                s,
                self.m(end),
                carer.type,
                carer.provider,
                carer.postcode,
                carer.urn,
                carer.distance,
                None,
            ),
        )
        e.add(
            "ssd_cla_episodes",
            (
                self.ids.new("ssd_cla_episodes"),
                c.id,
                period,
                pid,
                s,
                "S",
                need,
                self.m(end),
                "E4A" if end <= self.A else None,
                e.ref,
                None,
                s,
            ),
        )
        self.legal_row(c, e, legal, s, end)
