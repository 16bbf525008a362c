"""Shared state of the journey model: ids, the child and episode records, the Stage base."""

from __future__ import annotations

import datetime as dt
import json
import random
from bisect import bisect_right
from dataclasses import dataclass, field

from annexa.core.calendar import OrdinalCalendar
from annexa.source.synthetic import codes as K
from annexa.source.synthetic.common import Batch, Row, lognorm
from annexa.source.synthetic.params import Params
from annexa.source.synthetic.providers import Providers
from annexa.source.synthetic.workforce import Segment, Workforce

# ------------------------------------------------------------------------------------------
# Identifiers


_ID_TABLES = (
    "ssd_disability",
    "ssd_immigration_status",
    "ssd_contacts",
    "ssd_early_help_episodes",
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_cin_plans",
    "ssd_cin_visits",
    "ssd_s47_enquiry",
    "ssd_initial_cp_conference",
    "ssd_cp_plans",
    "ssd_cp_visits",
    "ssd_cp_reviews",
    "ssd_cla_episodes",
    "period",
    "ssd_legal_status",
    "ssd_cla_placement",
    "ssd_cla_reviews",
    "ssd_cla_visits",
    "ssd_cla_care_plan",
    "ssd_cla_health",
    "ssd_missing",
    "ssd_care_leavers",
    "ssd_permanence",
    "ssd_involvements",
)


class Ids:
    """Text ids: numeric, unique per table, from disjoint ranges so ids never join by accident."""

    def __init__(self) -> None:
        self.n = {t: 0 for t in _ID_TABLES}
        self.base = {t: (i + 2) * 100_000_000 for i, t in enumerate(_ID_TABLES)}
        self.persons = 0
        self.families = 0
        self.adopters = 0

    def new(self, table: str) -> str:
        self.n[table] += 1
        return str(self.base[table] + self.n[table])

    def person(self) -> tuple[str, str]:
        self.persons += 1
        return str(10_000_000 + self.persons), str(3_000_000 + self.persons)

    def family(self) -> str:
        self.families += 1
        return f"F{self.families:05d}"

    def adopter(self) -> str:
        self.adopters += 1
        return f"A{self.adopters:06d}"


# ------------------------------------------------------------------------------------------
# Adopters


@dataclass
class Family:
    id: str
    couple: bool
    ffa: bool
    older: bool
    enquiry: int
    s1s: int
    s1e: int | None
    s2s: int | None
    s2e: int | None
    matched: int | None = None
    placed: int | None = None
    children: int | None = None
    order: int | None = None
    left: int | None = None
    reason: str | None = None


# ------------------------------------------------------------------------------------------
# The simulation


@dataclass
class Child:
    id: str
    legacy: str
    dob: int
    edd: int | None
    gender: str
    eth: str
    kind: str
    disab: tuple[str, ...] | None
    d18: int
    uasc: bool = False
    death: int | None = None
    cp_plans: int = 0
    rows: Batch = field(default_factory=dict)
    kept_refs: set[str] = field(default_factory=set)
    care: list[tuple[int, int]] = field(default_factory=list)  # (start, end or NEVER)
    care_exit_home: bool = False
    last_cw: Segment | None = None
    last_ref: str | None = None
    perm: Row | None = None
    perm_ref: str | None = None


@dataclass
class Episode:
    ref: str
    r: int
    last_auth: int = 0
    last_icpc: int = 0  # the latest initial conference written (on or before A)
    last_s47: int = 0  # the latest end of a S47 enquiry written, or of its conference (any date)
    rows: Batch = field(default_factory=dict)
    segs: list[Segment] = field(default_factory=list)

    def add(self, table: str, row: Row) -> None:
        self.rows.setdefault(table, []).append(row)

    @property
    def seg(self) -> Segment:
        return self.segs[-1]


class Stage:
    """State and small helpers shared by every stage of the journey (the stages are mixins)."""

    def __init__(
        self,
        p: Params,
        as_at: int,
        window_start: int,
        sim_start: int,
        cal: OrdinalCalendar,
        wf: Workforce,
        prov: Providers,
        ids: Ids,
    ) -> None:
        self.p, self.A, self.ws, self.start, self.cal = p, as_at, window_start, sim_start, cal
        self.wf, self.prov, self.ids = wf, prov, ids
        self.batch: Batch = {}
        self.families: list[Family] = []
        self.kept_families: set[str] = set()
        self._json: dict[tuple[str, ...], str] = {}

    # --- small helpers ----------------------------------------------------------------------

    def m(self, d: int | None) -> int | None:
        """Mask a date as held at the as-at date: later dates have not happened yet."""
        return d if d is not None and d <= self.A else None

    @staticmethod
    def yn(b: bool) -> str:
        return "Y" if b else "N"

    lognorm = staticmethod(lognorm)

    def plan_json(self, keys: tuple[str, ...]) -> str:
        s = self._json.get(keys)
        if s is None:
            s = json.dumps(
                {k: ("Y" if k in keys else "N") for k in K.PERMANENCE_KEYS}, separators=(",", ":")
            )
            self._json[keys] = s
        return s

    def age(self, c: Child, d: int) -> int:
        if d < c.dob:
            return -1
        born = dt.date.fromordinal(c.dob)
        at = dt.date.fromordinal(d)
        return at.year - born.year - ((at.month, at.day) < (born.month, born.day))

    def seg(
        self,
        rng: random.Random,
        e: Episode,
        kind: str,
        t: int,
        reason: str | None,
        role: str = "CW",
    ) -> Segment:
        """Allocate the case to a team of ``kind`` from ``t``, closing the current allocation."""
        if e.segs:
            cur = e.segs[-1]
            if cur.kind == kind:
                return cur
            cur.end = t
        s = Segment(rng, self.wf, kind, role, t, e.ref, reason, self.A)
        e.segs.append(s)
        return s

    def worker(self, e: Episode, d: int) -> tuple[str, str]:
        """(team id, professional id) of the episode's allocated worker on date d."""
        seg = e.segs[0]
        for s in e.segs:
            if s.start > d:
                break
            seg = s
        slot = seg.slot_at(d)
        return slot.team_id, slot.at(d).prof_id

    def involvements(self, c: Child, e: Episode | None, s: Segment) -> None:
        """Involvement rows for one allocation: one per worker, with the reason for each change."""
        end = s.end
        if end is not None and end < s.start:
            end = s.start
        out = (
            c.rows.setdefault("ssd_involvements", [])
            if e is None
            else e.rows.setdefault("ssd_involvements", [])
        )
        ref = s.ref if (e is not None or (s.ref in c.kept_refs)) else None
        reason = s.reason
        pieces = s.pieces
        for i, (pf, slot) in enumerate(pieces):
            a = max(pf, s.start)
            b = pieces[i + 1][0] if i + 1 < len(pieces) else None
            if end is not None and (b is None or b > end):
                b = end
            if b is not None and b < a:
                continue
            if a > self.A:
                break
            j = bisect_right(slot.starts, a) - 1
            j = j if j > 0 else 0
            while True:
                w = slot.workers[j]
                nxt = slot.starts[j + 1] if j + 1 < len(slot.starts) else None
                seg_end = b if nxt is None or (b is not None and nxt >= b) else nxt
                if a <= self.A and (seg_end is None or seg_end >= self.ws):
                    out.append(
                        (
                            self.ids.new("ssd_involvements"),
                            w.prof_id,
                            s.role,
                            slot.team_id,
                            c.id,
                            ref,
                            a,
                            self.m(seg_end),
                            reason,
                        )
                    )
                if seg_end is None or seg_end == b or nxt is None or nxt > self.A:
                    break
                a = nxt
                reason = "Worker left the service"
                j += 1
            reason = "Case reallocated"
        return None
