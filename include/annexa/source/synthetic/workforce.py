"""The workforce: teams, posts, the workers who fill them, and case allocations."""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from dataclasses import dataclass

from annexa.source.synthetic import codes as K
from annexa.source.synthetic.common import Row
from annexa.source.synthetic.params import Workforce as WorkforceParams

# ------------------------------------------------------------------------------------------
# Workforce


@dataclass
class Worker:
    prof_id: str
    staff_id: str
    name: str
    team_id: str
    department: str
    title: str
    fte: float
    reg: str | None
    agency: str
    start: int


class Slot:
    """One case-holding post in a team, filled by a succession of workers over time."""

    __slots__ = ("team_id", "starts", "workers")

    def __init__(self, team_id: str) -> None:
        self.team_id = team_id
        self.starts: list[int] = []
        self.workers: list[Worker] = []

    def at(self, d: int) -> Worker:
        i = bisect_right(self.starts, d) - 1
        return self.workers[i if i > 0 else 0]


TEAM_KINDS: dict[str, tuple[str, str, int, tuple[str, ...]]] = {
    # kind: (department, team name stem, workers per team, job titles)
    "MASH": ("Front Door", "MASH", 8, ("Social Worker", "Senior Practitioner")),
    "ASSESS": (
        "Assessment Service",
        "Assessment Team",
        7,
        ("Social Worker", "Senior Social Worker", "Advanced Practitioner"),
    ),
    "CIN": (
        "Safeguarding Service",
        "Children in Need and Protection Team",
        7,
        ("Social Worker", "Senior Social Worker", "Advanced Practitioner"),
    ),
    "CIC": (
        "Children in Care Service",
        "Children in Care Team",
        7,
        ("Social Worker", "Senior Social Worker"),
    ),
    "DCT": (
        "Disabled Children's Service",
        "Disabled Children's Team",
        7,
        ("Social Worker", "Senior Social Worker"),
    ),
    "LC": (
        "Leaving Care Service",
        "Leaving Care Team",
        8,
        ("Personal Adviser", "Senior Personal Adviser"),
    ),
    "ADOPT": ("Adoption Service", "Adoption Team", 6, ("Adoption Social Worker",)),
    "EH": (
        "Early Help Service",
        "Early Help Team",
        8,
        ("Early Help Practitioner", "Family Support Worker"),
    ),
}
_AREAS = ("North", "South", "East", "West", "Central", "Vale", "Coast", "Moor", "Forest", "Town")


class Workforce:
    """Teams, posts and the workers who fill them; built before any child is simulated."""

    def __init__(
        self,
        rng: random.Random,
        slots: dict[str, int],
        first: int,
        as_at: int,
        q: WorkforceParams,
    ) -> None:
        self.q = q
        self.departments: list[Row] = []
        self.workers: list[Worker] = []
        self.slots: dict[str, list[Slot]] = {}
        name_order = [(f, s) for s in K.SURNAMES for f in K.FIRST_NAMES]
        rng.shuffle(name_order)
        self._names = name_order
        self._n = 0
        team_no = 0
        for kind, (dept, stem, per_team, titles) in TEAM_KINDS.items():
            team_no += 1
            parent_id = str(8000 + team_no * 10)
            self.departments.append((parent_id, dept, None, None))
            n_slots = max(1, slots.get(kind, 1))
            n_teams = max(1, math.ceil(n_slots / per_team))
            kind_slots: list[Slot] = []
            for t in range(n_teams):
                # 99 teams of a kind fit the 4-digit ids; beyond (only at xlarge) a range of
                # their own, so a kind's 100th team never takes the next kind's first id
                team_id = str(
                    8100 + team_no * 100 + t + 1 if t < 99 else 900_000 + team_no * 1000 + t + 1
                )
                if kind == "MASH":
                    tname = "MASH" if n_teams == 1 else f"MASH {t + 1}"
                elif n_teams == 1:
                    tname = stem
                else:
                    tname = f"{stem} {_AREAS[t]}" if t < len(_AREAS) else f"{stem} {t + 1}"
                self.departments.append((team_id, tname, parent_id, dept))
                manager = self._worker(rng, team_id, dept, "Team Manager", first, kind)
                self.workers.append(manager)
                for _ in range(n_slots // n_teams + (1 if t < n_slots % n_teams else 0)):
                    kind_slots.append(self._slot(rng, kind, team_id, dept, titles, first, as_at))
            self.slots[kind] = kind_slots

    def _slot(
        self,
        rng: random.Random,
        kind: str,
        team_id: str,
        dept: str,
        titles: tuple[str, ...],
        first: int,
        as_at: int,
    ) -> Slot:
        """One post, filled by a succession of workers from before the simulation to the as-at
        date."""
        q = self.q
        slot = Slot(team_id)
        t0 = first - int(rng.random() * q.first_post_spread_days)
        while t0 <= as_at:
            title = titles[int(rng.random() * len(titles))]
            w = self._worker(rng, team_id, dept, title, t0, kind)
            slot.starts.append(t0)
            slot.workers.append(w)
            self.workers.append(w)
            t0 += q.tenure_min_days + int(rng.expovariate(1.0 / q.mean_tenure_days))
        return slot

    def _worker(
        self, rng: random.Random, team_id: str, dept: str, title: str, start: int, kind: str
    ) -> Worker:
        self._n += 1
        n = self._n
        first, last = self._names[(n - 1) % len(self._names)]
        rounds = (n - 1) // len(self._names)
        initial = "BCDFGHJKLMNPRSTVW"[rounds % 17]
        name = f"{first} {last}" if rounds == 0 else f"{first} {initial}. {last}"
        q = self.q
        fte = q.fte.pick(rng.random())
        registered = kind not in ("EH", "LC") or (kind == "LC" and rng.random() < q.p_lc_registered)
        reg = f"SW{100000 + (n * 7919) % 900000:06d}" if registered else None
        agency = "Y" if kind not in ("EH", "ADOPT") and rng.random() < q.p_agency else "N"
        return Worker(
            str(600000 + n),
            f"E{20000 + n:05d}",
            name,
            team_id,
            dept,
            title,
            fte,
            reg,
            agency,
            start,
        )

    def professional_rows(self, as_at: int, used: set[str]) -> list[Row]:
        """Workers referenced by any row, in post at the as-at date, or managing a team."""
        in_post = {slot.at(as_at).prof_id for slots in self.slots.values() for slot in slots}
        return [
            (w.prof_id, w.staff_id, w.name, w.department, w.reg, w.agency, w.title, w.fte)
            for w in self.workers
            if w.start <= as_at
            and (w.prof_id in used or w.prof_id in in_post or w.title == "Team Manager")
        ]


class Segment:
    """A child's allocation to one kind of team (role CW or 16PLUS) over a stretch of time.

    Within it the case may be re-allocated to another post (``pieces``); within a post the worker
    changes when the post holder leaves. Both become involvement rows with a change reason.
    """

    __slots__ = ("kind", "role", "start", "end", "ref", "pieces", "reason")

    def __init__(
        self,
        rng: random.Random,
        wf: Workforce,
        kind: str,
        role: str,
        start: int,
        ref: str | None,
        reason: str | None,
        horizon: int,
    ) -> None:
        self.kind, self.role, self.start, self.ref = kind, role, start, ref
        self.end: int | None = None
        self.reason = reason
        slots = wf.slots[kind]
        self.pieces: list[tuple[int, Slot]] = [(start, slots[int(rng.random() * len(slots))])]
        t = start
        while True:
            t += wf.q.reallocation_min_days + int(
                rng.expovariate(1.0 / wf.q.reallocation_mean_days)
            )
            if t > horizon:
                break
            self.pieces.append((t, slots[int(rng.random() * len(slots))]))

    def slot_at(self, d: int) -> Slot:
        slot = self.pieces[0][1]
        for t, s in self.pieces:
            if t > d:
                break
            slot = s
        return slot

    def worker_at(self, d: int) -> Worker:
        return self.slot_at(d).at(d)
