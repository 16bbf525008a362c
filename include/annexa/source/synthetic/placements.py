"""Periods of care written out: placements, SSDA903 episodes, legal statuses, care plans."""

from __future__ import annotations

import random
from typing import Any

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.base import Child, Episode
from annexa.source.synthetic.care_records import CareRecords
from annexa.source.synthetic.providers import Carer


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
        A = self.A
        hi = min(end, A)
        # legal statuses, sorted and de-duplicated
        legal = sorted(legal)
        leg: list[tuple[int, str]] = []
        for d, code in legal:
            d = max(d, s)
            if d >= end and leg:
                continue
            if leg and leg[-1][0] == d:
                leg[-1] = (d, code)
            elif not leg or leg[-1][1] != code:
                leg.append((d, code))
        # placements
        places = self.placements(rng, c, s, end, forced, kin, route, perm_info)
        # SSDA903 episodes at every change of legal status or placement
        changes = sorted({d for d, _ in leg if s <= d < end} | {d for d, _ in places if d < end})
        li = pi = 0
        prev_leg: str | None = None
        prev_carer: Carer | None = None
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
                        else K.PLACEMENT_CHANGE_REASONS.pick(rng.random())
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
        nep = len(changes)
        clae_need = need if need not in ("N0", "N9") else "N1"
        iro = self.reviews_visits_health(rng, c, e, period, s, end, places, route)
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
        for i, (d, code) in enumerate(leg):
            lend = leg[i + 1][0] if i + 1 < len(leg) else end
            self.legal_row(c, e, code, d, lend)
        # care plan records
        plans = sorted(plans)
        pl: list[tuple[int, tuple[str, ...]]] = []
        for d, keys in plans:
            d = min(max(d, s), end)
            if pl and pl[-1][0] == d:
                pl[-1] = (d, keys)
            elif not pl or pl[-1][1] != keys:
                pl.append((d, keys))
        for i, (d, keys) in enumerate(pl):
            pend = pl[i + 1][0] if i + 1 < len(pl) else end
            if d <= A and pend >= self.ws - 400:
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
        # missing and away episodes
        self.missing(rng, c, e, s, hi, places)
        return period

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
        """The sequence of placements (start, carer) over the period."""
        p, prov = self.p, self.prov
        age = max(0, self.age(c, s))
        stable_p = (
            p.placements.p_stable_under10
            if age < 10
            else p.placements.p_stable_10_13
            if age < 14
            else p.placements.p_stable_14plus
        )
        stable = rng.random() < stable_p
        forced = sorted(f for f in forced if s < f[0] < end)
        out: list[tuple[int, Carer]] = []
        if route == "uasc":
            cur = prov.pick(rng, prov.semi) if age >= 16 else prov.foster(rng, "U6")
        elif kin and forced and forced[0][1] == "kin" and forced[0][0] - s < 3:
            cur = prov.carer(rng, "U3", "PR1", 0.8)
            forced = forced[1:]
        else:
            cur = prov.new_placement(rng, age)
        out.append((s, cur))
        t = s
        emergency = rng.random() < p.placements.p_emergency_first_placement
        fi = 0
        hi = min(end, self.A + 1)
        while True:
            a = max(0, self.age(c, t))
            if emergency and len(out) == 1:
                dur = 2 + int(rng.random() * 50)
            elif cur.type in ("U1", "U3", "P1") or cur.type.startswith("A"):
                dur = self.lognorm(rng, 3000, 0.6)
            elif cur.type == "H5":
                dur = self.lognorm(rng, 500, 0.6)
            elif cur.type in ("K1", "T4", "Z1"):
                dur = 20 + int(rng.random() * 120)
            else:
                med = (
                    p.placements.stable_median_days if stable else p.placements.unstable_median_days
                )
                if cur.type == "K2":
                    med = min(med, 500)
                if a >= 13:
                    med *= 0.7
                dur = self.lognorm(rng, med, 0.9)
            nat = t + dur
            if fi < len(forced) and forced[fi][0] <= nat:
                t, what = forced[fi]
                fi += 1
                if t >= hi:
                    break
                if what == "kin":
                    cur = prov.carer(rng, "U3", "PR1", 0.8)
                elif what == "ffa":
                    cur = prov.carer(rng, "U5", "PR1", 0.7)
                elif what == "adopt_same":
                    since = t
                    for d0, cr in reversed(out):
                        if cr.key != cur.key:
                            break
                        since = d0
                    info["fc_date"] = since
                    cur = Carer(cur.key, "A5", cur.provider, cur.postcode, None, cur.distance)
                elif what == "adopt_new":
                    q = rng.random()
                    prv = "PR1" if q < 0.6 else "PR2" if q < 0.75 else "PR5"
                    cur = prov.carer(rng, "A6" if rng.random() < 0.9 else "A4", prv, 0.5)
                elif what == "move":
                    cur = prov.new_placement(rng, max(0, self.age(c, t)))
                elif what == "p1":
                    cur = prov.carer(rng, "P1", "PR0", 0.95)
                elif what == "lt":
                    if cur.type in ("U6", "U3"):
                        cur = Carer(
                            cur.key,
                            "U4" if cur.type == "U6" else "U1",
                            cur.provider,
                            cur.postcode,
                            None,
                            cur.distance,
                        )
                    else:
                        continue
                elif what == "h5":
                    if cur.type in ("U4", "U6", "K2", "U3", "U1") and rng.random() < 0.8:
                        cur = prov.pick(rng, prov.semi)
                    else:
                        continue
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
        return out

    def short_breaks(
        self, rng: random.Random, c: Child, e: Episode, s: int, end: int, need: str
    ) -> None:
        """Agreed short breaks (V3 episodes or a V4 agreement): care periods outside List 8."""
        prov = self.prov
        home = (
            prov.pick(rng, prov.homes) if rng.random() < 0.6 else prov.carer(rng, "U6", "PR1", 0.95)
        )
        hi = min(end, self.A, c.d18)
        if rng.random() < 0.3:
            # one period per yearly agreement (V4)
            t = s
            while t <= hi:
                pe = min(t + 300 + int(rng.random() * 60), end)
                self.simple_period(c, e, t, pe, "V4", home, need)
                t = pe + 20 + int(rng.random() * 40)
            return
        t = s
        if t < self.ws - 60:
            t = self.ws - int(rng.random() * 40)
        while t + 4 <= hi:
            pe = t + 1 + int(rng.random() * 3)
            self.simple_period(c, e, t, pe, "V3", home, need)
            t = pe + 28 + int(rng.random() * 45)

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
