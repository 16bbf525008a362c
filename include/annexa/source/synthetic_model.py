"""The journey model behind the synthetic CMS: children moving through children's social care.

Why it is built this way:
* **One child at a time.** Each child is simulated from arrival (a contact, a referral, an
  unborn-baby referral, an unaccompanied asylum-seeking child, a disabled child) to the as-at date,
  and its rows go into the current batch. Children are independent, so batches can be flushed to
  the database as they fill and memory stays bounded even for the largest county.
* **Snapshot at the as-at date.** Journeys run on past the as-at date where needed (an assessment
  authorised next week), and every row is then masked as the CMS would hold it on the as-at date:
  records starting later are left out, later end dates are null, outcomes not yet known are null.
* **Burn-in.** Journeys start years before the history window so that long stays in care, repeat
  plans and care leavers exist; a referral episode (with everything linked to it) is kept only if
  it is open in the window, as the SSD's history window does (spec source_contract §7 #16).
* **National codes only.** The model writes clean national codes; ``synthetic_render`` turns them
  into Liquidlogic-style descriptions for messy mode after the fact, so both modes hold the same
  children, dates and relationships.
* **Deterministic.** Every draw comes from ``random.Random`` instances seeded from the run's seed;
  dates are integer ordinals; nothing reads the clock or iterates over a set.

Calibration knobs live in :class:`Params`; their defaults were tuned against the England values in
spec indicators.md (see ``measure_rates`` in ``synthetic_rates``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import holidays

from annexa.core.dates import add_months
from annexa.source import synthetic_codes as K

Row = tuple[Any, ...]
Batch = dict[str, list[Row]]
NEVER = 10**7  # an ordinal later than any date used


def add_mo(d: int, months: int) -> int:
    """Calendar-month arithmetic on ordinals (end-of-month clamping, as the spec's windows)."""
    return add_months(dt.date.fromordinal(d), months).toordinal()


# ------------------------------------------------------------------------------------------
# Calendar


class Calendar:
    """Working days (Mon-Fri less England and Wales bank holidays) as ordinal arithmetic."""

    def __init__(self, first: int, last: int) -> None:
        y0, y1 = dt.date.fromordinal(first).year, dt.date.fromordinal(last).year
        hol = {
            d.toordinal()
            for d in holidays.country_holidays("GB", subdiv="ENG", years=range(y0, y1 + 1))
        }
        self.first, self.last = first, last
        self.cnt: list[int] = []  # working days <= first + i
        self.days: list[int] = []  # the working days, ascending
        n = 0
        for d in range(first, last + 1):
            if (d - 1) % 7 < 5 and d not in hol:
                n += 1
                self.days.append(d)
            self.cnt.append(n)

    def wd(self, s: int, e: int) -> int:
        """WD(s, e): working days d with s < d <= e (start day is day 0)."""
        return self.cnt[e - self.first] - self.cnt[s - self.first]

    def add_wd(self, s: int, n: int) -> int:
        """The n-th working day after s (n = 0 gives s itself)."""
        if n <= 0:
            return s
        i = self.cnt[s - self.first] + n - 1
        return self.days[min(i, len(self.days) - 1)]


# ------------------------------------------------------------------------------------------
# Parameters


@dataclass(frozen=True)
class Params:
    """Probabilities and durations of the journey model (calibrated to spec indicators.md)."""

    # arrivals: referrals per referred child over its childhood, contacts per contact-only child
    referrals_per_child: float = 1.56
    contacts_per_referral: float = 1.5
    contacts_per_contact_child: float = 1.3
    share_prebirth: float = 0.045
    share_disabled: float = 0.03
    # front door
    p_contact_early_help: float = 0.15
    p_referral_has_contact: float = 0.96
    p_earlier_contact: float = 0.32
    p_contact_during_episode: float = 0.22
    # referral and assessment
    p_referral_nfa: float = 0.068
    p_transfer_in: float = 0.004
    p_s47_at_referral: float = 0.33
    p_icpc: float = 0.27
    p_icpc_escalation: float = 0.4
    p_plan_from_icpc: float = 0.87
    p_assess_nfa: float = 0.335
    p_assess_nfa_after_s47: float = 0.45
    p_assess_within_45: float = 0.86
    p_icpc_within_15: float = 0.81
    p_cin_plan: float = 0.82
    p_emergency_care: float = 0.01
    p_rc9: float = 0.15
    # child in need plans
    cin_plan_median_days: float = 160.0
    cin_plan_sigma: float = 0.7
    p_cin_escalate_s47: float = 0.09
    p_cin_to_care: float = 0.03
    # child protection: number of the review at which a plan ends (0 = before the first review)
    cp_end_review: tuple[tuple[int, float], ...] = (
        (0, 0.10),
        (1, 0.22),
        (2, 0.33),
        (3, 0.185),
        (4, 0.11),
        (5, 0.034),
        (6, 0.013),
    )
    cp_outcome: tuple[tuple[str, float], ...] = (
        ("stepdown", 0.49),
        ("close", 0.34),
        ("care", 0.13),
        ("transfer", 0.04),
    )
    # re-referral: chance of another referral after an episode closes, and the gap
    p_rereferral: float = 0.37
    p_rereferral_after_cp: float = 0.5
    rereferral_gap_median_days: float = 110.0
    rereferral_gap_sigma: float = 1.05
    # care
    p_stable_under10: float = 0.85
    p_stable_10_13: float = 0.72
    p_stable_14plus: float = 0.5
    stable_median_days: float = 1800.0
    unstable_median_days: float = 170.0
    p_emergency_first_placement: float = 0.35
    p_misser_11plus: float = 0.21
    p_misser_under11: float = 0.012
    missing_per_year: float = 5.0
    away_per_year: float = 1.5
    p_adoption_reversed: float = 0.12
    p_ffa: float = 0.1
    p_own_adopters: float = 0.8
    p_short_breaks: float = 0.45
    # larger authorities look after fewer children per referral (England: ~0.14 in small
    # unitaries, ~0.125 in large counties); scales entries to care from CIN and CP work
    care_scale: float = 1.0


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
        mean_tenure_days: float = 1500.0,
    ) -> None:
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
                team_id = str(8100 + team_no * 100 + t + 1)
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
                    slot = Slot(team_id)
                    t0 = first - int(rng.random() * 1500)
                    while t0 <= as_at:
                        title = titles[int(rng.random() * len(titles))]
                        w = self._worker(rng, team_id, dept, title, t0, kind)
                        slot.starts.append(t0)
                        slot.workers.append(w)
                        self.workers.append(w)
                        t0 += 30 + int(rng.expovariate(1.0 / mean_tenure_days))
                    kind_slots.append(slot)
            self.slots[kind] = kind_slots

    def _worker(
        self, rng: random.Random, team_id: str, dept: str, title: str, start: int, kind: str
    ) -> Worker:
        self._n += 1
        n = self._n
        first, last = self._names[(n - 1) % len(self._names)]
        rounds = (n - 1) // len(self._names)
        initial = "BCDFGHJKLMNPRSTVW"[rounds % 17]
        name = f"{first} {last}" if rounds == 0 else f"{first} {initial}. {last}"
        u = rng.random()
        fte = 1.0 if u < 0.8 else 0.8 if u < 0.88 else 0.6 if u < 0.95 else 0.5
        registered = kind not in ("EH", "LC") or (kind == "LC" and rng.random() < 0.4)
        reg = f"SW{100000 + (n * 7919) % 900000:06d}" if registered else None
        agency = "Y" if kind not in ("EH", "ADOPT") and rng.random() < 0.16 else "N"
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
        self.kind, self.role, self.start, self.end, self.ref = kind, role, start, None, ref
        self.reason = reason
        slots = wf.slots[kind]
        self.pieces: list[tuple[int, Slot]] = [(start, slots[int(rng.random() * len(slots))])]
        t = start
        while True:
            t += 60 + int(rng.expovariate(1.0 / 900.0))
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


# ------------------------------------------------------------------------------------------
# Placements providers


@dataclass
class Carer:
    key: int
    type: str
    provider: str
    postcode: str
    urn: str | None
    distance: float


class Providers:
    """Foster carers (made on demand), children's homes and other settings with URNs/postcodes."""

    def __init__(self, rng: random.Random, scale_factor: float) -> None:
        self.pc = K.load_postcodes()
        self.rng = rng
        self.next_key = 0
        self.urns: set[str] = set()
        n_homes = max(6, int(25 * scale_factor))
        self.homes = [self._setting(rng, "K2", rng.random() < 0.35, True) for _ in range(n_homes)]
        self.secure = [self._setting(rng, "K1", False, True) for _ in range(3)]
        self.mbu = [self._setting(rng, "R3", rng.random() < 0.5, True) for _ in range(3)]
        self.schools = [self._setting(rng, "S1", False, True) for _ in range(4)]
        self.semi = [
            self._setting(rng, "H5", rng.random() < 0.6, False)
            for _ in range(max(4, int(12 * scale_factor)))
        ]

    def _urn(self, rng: random.Random) -> str:
        while True:
            urn = f"SC{100000 + int(rng.random() * 899999)}"
            if urn not in self.urns:
                self.urns.add(urn)
                return urn

    def _setting(self, rng: random.Random, ptype: str, inside: bool, urn: bool) -> Carer:
        postcode, dist = self.place(rng, inside)
        provider = {"K2": "PR4", "K1": "PR2", "R3": "PR4", "S1": "PR5", "H5": "PR4"}[ptype]
        if ptype == "K2" and inside and rng.random() < 0.5:
            provider = "PR1"
        self.next_key += 1
        return Carer(
            self.next_key, ptype, provider, postcode, self._urn(rng) if urn else None, dist
        )

    def place(self, rng: random.Random, inside: bool) -> tuple[str, float]:
        """A postcode (and miles from home) inside Synthshire or elsewhere in the UK."""
        pc = self.pc
        if inside:
            postcode = pc.inside[int(rng.random() * len(pc.inside))]
            return postcode, round(0.4 + rng.random() * 13.6, 1)
        u = rng.random()
        pool = (
            pc.england if u < 0.86 else pc.wales if u < 0.94 else pc.scotland if u < 0.97 else pc.ni
        )
        postcode, la = pool[int(rng.random() * len(pool))]
        return postcode, round(K.OUTSIDE_DISTANCE.get(la, 80.0) * (0.85 + 0.3 * rng.random()), 1)

    def carer(self, rng: random.Random, ptype: str, provider: str, p_inside: float) -> Carer:
        self.next_key += 1
        postcode, dist = self.place(rng, rng.random() < p_inside)
        return Carer(self.next_key, ptype, provider, postcode, None, dist)

    def new_placement(self, rng: random.Random, age: int) -> Carer:
        """A new carer for a child of this age (SSDA903 placement and provider codes)."""
        u = rng.random()
        if age < 12:
            if u < 0.86:
                return self.foster(rng, "U6")
            if u < 0.94:
                return self.carer(rng, "U3", "PR1", 0.75)
            if u < 0.965:
                return self.pick(rng, self.homes)
            if age < 2 and u < 0.985:
                return self.pick(rng, self.mbu)
            if age >= 8 and u < 0.99:
                return self.pick(rng, self.schools)
            return self.foster(rng, "U6")
        if age < 16:
            if u < 0.64:
                return self.foster(rng, "U6")
            if u < 0.69:
                return self.carer(rng, "U3", "PR1", 0.75)
            if u < 0.93:
                return self.pick(rng, self.homes)
            if u < 0.945:
                return self.pick(rng, self.secure)
            if u < 0.965:
                return self.pick(rng, self.schools)
            if u < 0.98:
                return self.carer(rng, "Z1", "PR4", 0.6)
            return self.carer(rng, "T4", "PR1", 0.9)
        if u < 0.36:
            return self.foster(rng, "U6")
        if u < 0.76:
            return self.pick(rng, self.semi)
        if u < 0.93:
            return self.pick(rng, self.homes)
        if u < 0.97:
            return self.carer(rng, "U3", "PR1", 0.75)
        return self.carer(rng, "P2", "PR4", 0.8)

    def foster(self, rng: random.Random, ptype: str) -> Carer:
        if rng.random() < 0.62:
            return self.carer(rng, ptype, "PR1", 0.88)
        return self.carer(rng, ptype, "PR4" if rng.random() < 0.9 else "PR5", 0.45)

    def pick(self, rng: random.Random, pool: list[Carer]) -> Carer:
        c = pool[int(rng.random() * len(pool))]
        self.next_key += 1  # a new stay in the same home is a new carer episode for the child
        return Carer(self.next_key, c.type, c.provider, c.postcode, c.urn, c.distance)


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
    rows: Batch = field(default_factory=dict)
    segs: list[Segment] = field(default_factory=list)

    def add(self, table: str, row: Row) -> None:
        self.rows.setdefault(table, []).append(row)

    @property
    def seg(self) -> Segment:
        return self.segs[-1]


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
_AGES = K.W(
    [
        (a, w)
        for a, w in enumerate(
            (9, 5, 5, 5, 5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 5.5, 6, 6.5, 7, 7, 5.5, 3.5)
        )
    ]
)


class Sim:
    """Simulates children and appends their rows (national codes, ordinals) to ``batch``."""

    def __init__(
        self,
        p: Params,
        as_at: int,
        window_start: int,
        sim_start: int,
        cal: Calendar,
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
        self.cp_end = K.W(list(p.cp_end_review))
        self.cp_outcome = K.W(list(p.cp_outcome))

    # --- small helpers ----------------------------------------------------------------------

    def m(self, d: int | None) -> int | None:
        """Mask a date as held at the as-at date: later dates have not happened yet."""
        return d if d is not None and d <= self.A else None

    @staticmethod
    def yn(b: bool) -> str:
        return "Y" if b else "N"

    @staticmethod
    def lognorm(rng: random.Random, median: float, sigma: float) -> int:
        return max(1, int(median * math.exp(sigma * rng.gauss(0.0, 1.0))))

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

    # --- arrivals ---------------------------------------------------------------------------

    def new_child(self, rng: random.Random, kind: str, arrival: int) -> Child:
        pid, legacy = self.ids.person()
        edd = None
        if kind == "prebirth":
            dob = arrival + 30 + int(rng.random() * 130)
            edd = dob + int(rng.random() * 29) - 14
            age = -1
        elif kind == "uasc":
            age = 14 + min(3, int(rng.expovariate(0.9)))
            dob = arrival - age * 365 - int(rng.random() * 365)
        elif kind == "disabled":
            age = 1 + int(rng.random() * 15)
            dob = arrival - age * 365 - int(rng.random() * 365)
        else:
            age = _AGES.pick(rng.random())
            dob = arrival - age * 365 - int(rng.random() * 365)
        u = rng.random()
        gender = (
            ("M" if rng.random() < 0.9 else "F")
            if kind == "uasc"
            else "M"
            if u < 0.51
            else "F"
            if u < 0.997
            else "I"
        )
        eth = (
            K.UASC_ETHNICITY.pick(rng.random())
            if kind == "uasc"
            else K.ETHNICITY.pick(rng.random())
        )
        if kind == "disabled":
            codes = [K.DISABILITY.pick(rng.random())]
            if rng.random() < 0.35:
                codes.append(K.DISABILITY.pick(rng.random()))
            disab: tuple[str, ...] | None = tuple(dict.fromkeys(codes))
        elif kind == "contact":
            v = rng.random()
            disab = (
                None if v < 0.7 else ("NONE",) if v < 0.98 else (K.DISABILITY.pick(rng.random()),)
            )
        else:
            v = rng.random()
            disab = (
                None if v < 0.3 else ("NONE",) if v < 0.93 else (K.DISABILITY.pick(rng.random()),)
            )
        return Child(
            pid, legacy, dob, edd, gender, eth, kind, disab, add_mo(dob, 216), uasc=kind == "uasc"
        )

    def run_child(self, rng: random.Random, kind: str, arrival: int) -> None:
        c = self.new_child(rng, kind, arrival)
        if kind == "contact":
            self.contact_only(rng, c, arrival)
        else:
            t = arrival
            first = True
            while t <= self.A and t < c.d18:
                close, outcome = self.episode(rng, c, t, first)
                first = False
                if close is None or close > self.A or c.death is not None:
                    break
                p = self.p.p_rereferral_after_cp if c.cp_plans else self.p.p_rereferral
                if outcome == "adopted" or outcome == "adult" or outcome == "sgo":
                    p = 0.03
                if rng.random() >= p:
                    break
                t = (
                    close
                    + 1
                    + self.lognorm(
                        rng, self.p.rereferral_gap_median_days, self.p.rereferral_gap_sigma
                    )
                )
        self.finish_child(rng, c)

    def contact_only(self, rng: random.Random, c: Child, t: int) -> None:
        n = 1
        while rng.random() < 0.26 and n < 6:
            n += 1
        for _ in range(n):
            if t > self.A or t >= c.d18:
                break
            self.contact(rng, c, t, K.CONTACT_SOURCE.pick(rng.random()))
            if rng.random() < self.p.p_contact_early_help:
                self.early_help(rng, c, t + 3 + int(rng.random() * 25))
            t += 20 + int(rng.expovariate(1 / 200.0))

    def contact(self, rng: random.Random, c: Child, t: int, source: str) -> None:
        if self.ws <= t <= self.A:
            c.rows.setdefault("ssd_contacts", []).append(
                (self.ids.new("ssd_contacts"), c.id, t, source, K.SOURCE_DESC[source])
            )

    def early_help(self, rng: random.Random, c: Child, s: int) -> None:
        end = s + 60 + int(rng.random() * 240)
        if s > self.A or end < self.ws:
            return
        slots = self.wf.slots["EH"]
        worker = slots[int(rng.random() * len(slots))].at(s).prof_id
        org = K.EARLY_HELP_ORGS[int(rng.random() * len(K.EARLY_HELP_ORGS))]
        c.rows.setdefault("ssd_early_help_episodes", []).append(
            (self.ids.new("ssd_early_help_episodes"), c.id, s, self.m(end), org, worker)
        )

    # --- referral episode -------------------------------------------------------------------

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
        transfer_in = c.kind == "general" and rng.random() < p.p_transfer_in
        if transfer_in:
            source = "5C"
        if rng.random() < p.p_referral_has_contact:
            self.contact(
                rng, c, r - (0 if rng.random() < 0.8 else 1 + int(rng.random() * 3)), source
            )
        if rng.random() < p.p_earlier_contact:
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
        nfa = c.kind == "general" and not transfer_in and rng.random() < p.p_referral_nfa
        if rng.random() < p.p_contact_during_episode:
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
            pe = p.p_emergency_care * p.care_scale * (4.0 if self.age(c, r) < 1 else 1.0)
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
            ps47 = p.p_s47_at_referral * (1.5 if c.kind == "prebirth" else 1.0)
            if c.cp_plans:
                ps47 = min(0.8, ps47 * 2.0)
            if care_route == "emergency":
                ps47 = 0.8
            if rng.random() < ps47:
                s47_done = True
                s_start = cal.add_wd(r, 0 if rng.random() < 0.6 else 1 + int(rng.random() * 3))
                picpc = p.p_icpc * (1.5 if c.kind == "prebirth" else 1.0)
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
            assess_nfa = rng.random() < p.p_assess_nfa_after_s47
        else:
            assess_nfa = rng.random() < p.p_assess_nfa
        self.assessment(rng, c, e, a_start, auth, assess_nfa)

        if assess_nfa:
            close = auth + int(rng.random() * 8)
            reason = "RC9" if rng.random() < p.p_rc9 else "RC8"
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
        elif c.kind == "disabled" or rng.random() < p.p_cin_plan:
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

    # --- assessment, S47, ICPC ----------------------------------------------------------------

    def assessment_wd(self, rng: random.Random) -> int:
        if rng.random() < self.p.p_assess_within_45:
            if rng.random() < 0.2:
                return 38 + int(rng.random() * 8)
            return int(46 * rng.random() ** 0.8)
        return 46 + int(rng.expovariate(1 / 14.0))

    def assessment(
        self, rng: random.Random, c: Child, e: Episode, s: int, auth: int, nfa: bool
    ) -> None:
        if s > self.A:
            return
        done = auth <= self.A
        e.last_auth = max(e.last_auth, auth)
        team, worker = self.worker(e, auth if done else s)
        u = rng.random()
        seen = "Y" if u < 0.94 else "N" if u < 0.99 else None
        if s < c.dob:
            seen = "N"
        e.add(
            "ssd_cin_assessments",
            (
                self.ids.new("ssd_cin_assessments"),
                c.id,
                e.ref,
                s,
                seen,
                self.m(auth),
                self.yn(nfa) if done else None,
                json.dumps({"NFA_FLAG": self.yn(nfa)}) if done else None,
                team,
                worker,
            ),
        )

    def s47(
        self, rng: random.Random, c: Child, e: Episode, s: int, p_icpc: float
    ) -> tuple[str | None, int, bool] | None:
        """A section 47 enquiry; returns (ICPC id, ICPC date, plan made) when an ICPC follows."""
        cal = self.cal
        icpc = rng.random() < p_icpc
        sid = self.ids.new("ssd_s47_enquiry")
        if icpc:
            if rng.random() < self.p.p_icpc_within_15:
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
        plan = rng.random() < self.p.p_plan_from_icpc and idate < c.d18 - 14
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
        k = self.cp_end.pick(rng.random())
        reviews: list[tuple[int, int]] = []
        due = add_mo(start, 3)
        held = start
        for _ in range(k):
            on_time = rng.random() < 0.9
            held = due - int(rng.random() * 8) if on_time else due + 1 + int(rng.random() * 25)
            reviews.append((due, held))
            due = add_mo(held, 6)
        end = held if k else start + 20 + int(rng.random() * 60)
        nxt = self.cp_outcome.pick(rng.random())
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
            dur = self.lognorm(rng, p.cin_plan_median_days, p.cin_plan_sigma)
        end = start + dur
        nxt = "RC7"
        icpc_id = None
        u = rng.random()
        p_esc = p.p_cin_escalate_s47 * (3.0 if c.cp_plans else 1.0)
        if c.kind != "disabled" and u < p_esc and dur > 30:
            s = start + 20 + int(rng.random() * (dur - 20))
            res = self.s47(rng, c, e, s, p.p_icpc_escalation)
            if rng.random() < 0.4:
                a_s = self.cal.add_wd(s, int(rng.random() * 3))
                a_auth = self.cal.add_wd(a_s, self.assessment_wd(rng))
                self.assessment(rng, c, e, a_s, a_auth, False)
            if res is not None and res[2]:
                icpc_id, end, nxt = res[0], res[1], "cp"
        elif u < p_esc + p.p_cin_to_care * p.care_scale and dur > 20:
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
            if c.kind == "disabled" and rng.random() < p.p_short_breaks:
                self.short_breaks(rng, c, e, start + 30 + int(rng.random() * 150), end, need="N2")
        if end > self.A:
            return end, "open", None
        if nxt == "RC7" and rng.random() < 0.12:
            self.early_help(rng, c, end + 1 + int(rng.random() * 20))
        return end, nxt, icpc_id

    # --- care ---------------------------------------------------------------------------------

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
                ffa = rng.random() < p.p_ffa
                perm["adm"] = adm
                dual = rng.random() < 0.2  # parallel planning until the placement order
                plans.append((adm, ("ADOPTION", "RETURNEV") if dual else ("ADOPTION",)))
                if ffa:
                    ffa_at = min(adm + 5 + int(rng.random() * 40), fh - 10)
                    perm["ffa_dec"] = ffa_at - 3 - int(rng.random() * 10)
                    perm["ffa"] = ffa_at
                    forced.append((ffa_at, "ffa"))
                if rng.random() < 0.2 * p.p_adoption_reversed / 0.12:
                    # the court did not make a placement order
                    perm["rev"], perm["rev_reason"] = fh, "RD2"
                    legal.append((fh, "C2"))
                    outcome = "lt" if rng.random() < 0.7 else "sgo_late"
                    plans.append((fh, ("LTFOST18",)))
                else:
                    legal.append((fh, "E1"))
                    perm["po"] = fh
                    if rng.random() < p.p_adoption_reversed * 0.8:
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
                        if rng.random() < p.p_own_adopters:
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
            p.p_stable_under10 if age < 10 else p.p_stable_10_13 if age < 14 else p.p_stable_14plus
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
        emergency = rng.random() < p.p_emergency_first_placement
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
                med = p.stable_median_days if stable else p.unstable_median_days
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

    def reviews_visits_health(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        period: str,
        s: int,
        end: int,
        places: list[tuple[int, Carer]],
        route: str,
    ) -> int | None:
        """Reviews, statutory visits and health checks of one period; returns last IRO contact."""
        A, ws, cal = self.A, self.ws, self.cal
        hi = min(end, A)
        # looked-after reviews: 20 WD, then 3 months, then 6-monthly
        due = cal.add_wd(s, 20)
        last_review = None
        n = 0
        while due <= end + 5 and due <= A + 400:
            n += 1
            on_time = rng.random() < 0.92
            held = due - int(rng.random() * 10) if on_time else due + 1 + int(rng.random() * 30)
            held = max(held, s + 1)
            if held > end:
                break
            if rng.random() < 0.03 and held <= A and held >= ws:
                e.add(
                    "ssd_cla_reviews",
                    (self.ids.new("ssd_cla_reviews"), period, c.id, due, held, "Y"),
                )
                held = held + 3 + int(rng.random() * 18)
                if held > end:
                    break
            if held <= A:
                if held >= ws:
                    e.add(
                        "ssd_cla_reviews",
                        (self.ids.new("ssd_cla_reviews"), period, c.id, due, held, "N"),
                    )
                last_review = held
            elif due <= A + 200 and held > A:
                break
            due = add_mo(held, 3 if n == 1 else 6)
        iro = last_review
        if iro is not None and rng.random() < 0.5:
            extra = iro + 30 + int(rng.random() * 60)
            if extra <= hi:
                iro = extra
        # statutory visits: within a week of each placement, then ~6-weekly (3-monthly if settled)
        rows = e.rows.setdefault("ssd_cla_visits", [])
        alone_from = add_mo(c.dob, 72)
        starts = [d for d, _ in places]
        t = s + 1 + int(rng.random() * 6)
        pi = 0
        if t < ws - 100:
            t = ws - int(rng.random() * 40)
            pi = max(0, bisect_right(starts, t) - 1)
        while t <= hi:
            if t >= ws:
                u = rng.random()
                seen = "Y" if u < 0.96 else "N" if u < 0.99 else None
                alone = (
                    ("Y" if rng.random() < 0.6 else "N") if seen == "Y" and t >= alone_from else "N"
                )
                rows.append((self.ids.new("ssd_cla_visits"), period, c.id, t, seen, alone))
            nxt_place = starts[pi + 1] if pi + 1 < len(starts) else NEVER
            settled = t - starts[pi] > 365 and places[pi][1].type in ("U4", "U1", "A5", "A6")
            step = (60 + int(rng.random() * 30)) if settled else (25 + int(rng.random() * 19))
            if t + step > nxt_place:
                t = nxt_place + 1 + int(rng.random() * 6)
                pi += 1
            else:
                t += step
        # health assessments and dental checks
        hrows = e.rows.setdefault("ssd_cla_health", [])
        t = s + 10 + int(rng.random() * 30)
        while t <= hi:
            under5 = t < add_mo(c.dob, 60)
            status = self.health_status(rng, t, 0.04 if self.age(c, t) < 12 else 0.08)
            if t >= ws:
                hrows.append((self.ids.new("ssd_cla_health"), c.id, "HEALTH", t, status))
            if status == "CANCELLED":
                t += 14 + int(rng.random() * 30)
                continue
            t += (182 if under5 else 365) - 30 + int(rng.random() * 45)
        if c.dob < s - 365:
            t = s + 30 + int(rng.random() * 170)
            while t <= hi:
                status = self.health_status(rng, t, 0.08)
                if t >= ws:
                    hrows.append((self.ids.new("ssd_cla_health"), c.id, "DENTAL", t, status))
                t += 300 + int(rng.random() * 100) if status != "CANCELLED" else 20
                if rng.random() < 0.25 and t <= hi and t >= ws:
                    hrows.append(
                        (
                            self.ids.new("ssd_cla_health"),
                            c.id,
                            "OTHER",
                            t - 20 - int(rng.random() * 40),
                            "COMPLETED",
                        )
                    )
        return iro

    def health_status(self, rng: random.Random, t: int, p_refused: float) -> str:
        if t > self.A - 10 and rng.random() < 0.4:
            return "PLANNED"
        u = rng.random()
        return "REFUSED" if u < p_refused else "CANCELLED" if u < p_refused + 0.04 else "COMPLETED"

    def missing(
        self,
        rng: random.Random,
        c: Child,
        e: Episode,
        s: int,
        hi: int,
        places: list[tuple[int, Carer]],
    ) -> None:
        p = self.p
        d11 = add_mo(c.dob, 132)
        if hi < d11:
            return
        a = max(s, d11, self.ws)
        if a > hi:
            return
        misser = rng.random() < (p.p_misser_11plus if self.age(c, a) >= 11 else p.p_misser_under11)
        if not misser:
            return
        resid = any(cr.type in ("K2", "H5") for _, cr in places)
        rate = (p.missing_per_year + p.away_per_year) * (1.6 if resid else 1.0) / 365.0
        p_m = p.missing_per_year / (p.missing_per_year + p.away_per_year)
        rows = e.rows.setdefault("ssd_missing", [])
        t = a + int(rng.expovariate(rate))
        while t <= hi:
            typ = "M" if rng.random() < p_m else "A"
            mend = t + (0 if rng.random() < 0.5 else 1 + int(rng.random() * 3))
            if typ == "M":
                u = rng.random()
                off = "Y" if u < 0.85 else "N" if u < 0.95 else "NA"
                acc = (
                    ("Y" if rng.random() < 0.55 else "N")
                    if off == "Y"
                    else ("NA" if off == "NA" or rng.random() < 0.5 else "N")
                )
            else:
                off = "NA" if rng.random() < 0.7 else "N"
                acc = "NA"
            rows.append((self.ids.new("ssd_missing"), c.id, t, self.m(mend), typ, off, acc))
            t += 1 + int(rng.expovariate(rate))

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

    # --- permanence and adopters --------------------------------------------------------------

    def permanence(self, c: Child, period: str, perm: dict[str, Any], ref: str) -> None:
        m = self.m
        adm = m(perm.get("adm"))
        order = m(perm.get("order"))
        if adm is None and order is None:
            return
        matched = m(perm.get("matched"))
        by_carer = perm.get("by_carer")
        fam = perm.get("family") if matched is not None else None
        otype = perm.get("type") if order is not None else None
        ffa = m(perm.get("ffa"))
        c.perm = (
            self.ids.new("ssd_permanence"),
            c.id,
            period,
            adm,
            m(perm.get("po")),
            matched,
            m(perm.get("placed")),
            ffa,
            m(perm.get("rev")),
            perm.get("rev_reason") if m(perm.get("rev")) is not None else None,
            order,
            otype,
            ("Y" if by_carer else "N") if otype == "ADOPTION" else None,
            m(perm.get("fc_date")) if (by_carer and otype == "ADOPTION") else None,
            m(perm.get("ffa_dec")),
            fam,
        )
        c.perm_ref = ref
        if fam is not None:
            self.kept_families.add(fam)

    def own_family(
        self,
        rng: random.Random,
        matched: int,
        placed: int,
        order: int,
        ffa: bool,
        ffa_at: int | None,
    ) -> str:
        """The Synthshire adopters a child is matched with (the List 11 side of List 10)."""
        anchor = ffa_at if ffa and ffa_at is not None else matched
        s2e = anchor - 20 - int(rng.random() * 280)
        fam = self.new_family(rng, s2e, ffa)
        fam.matched, fam.placed, fam.children, fam.order = matched, placed, 1, order
        return fam.id

    def new_family(self, rng: random.Random, s2e: int, ffa: bool) -> Family:
        s2s = s2e - 100 - int(rng.random() * 60)
        s1e = s2s - int(rng.random() * 45)
        s1s = s1e - 45 - int(rng.random() * 25)
        enq = s1s - 7 - int(rng.random() * 140)
        fam = Family(
            self.ids.family(), rng.random() < 0.7, ffa, rng.random() < 0.05, enq, s1s, s1e, s2s, s2e
        )
        self.families.append(fam)
        return fam

    def independent_families(self, rng: random.Random, per_year: float) -> None:
        """Adopters not matched with a Synthshire child: in process, left, other LAs' children."""
        first = self.ws - 3 * 365
        n = int(per_year * (self.A - first) / 365.0)
        for _ in range(n):
            s1s = first + int(rng.random() * (self.A - first))
            s1e = s1s + 45 + int(rng.random() * 25)
            s2s = s1e + int(rng.random() * 45)
            s2e = s2s + 100 + int(rng.random() * 60)
            fam = self.new_family(rng, s2e, rng.random() < 0.08)
            u = rng.random()
            if u < 0.22:
                fam.left = s1s + 10 + int(rng.random() * 60)
                fam.reason = "1" if rng.random() < 0.6 else "2" if rng.random() < 0.5 else "3"
                fam.s1e = fam.s2s = fam.s2e = None
            elif u < 0.36:
                fam.left = s2s + 20 + int(rng.random() * 120)
                fam.reason = "1" if rng.random() < 0.4 else "2" if rng.random() < 0.5 else "3"
                fam.s2e = fam.left if fam.reason == "3" else None
            elif u < 0.82:
                fam.matched = s2e + 30 + int(rng.random() * 400)
                fam.placed = fam.matched + 7 + int(rng.random() * 35)
                v = rng.random()
                fam.children = 1 if v < 0.8 else 2 if v < 0.97 else 3
                fam.order = fam.placed + 120 + int(rng.random() * 300)
            elif u < 0.9:
                fam.left = s2e + 200 + int(rng.random() * 500)
                fam.reason = "2" if rng.random() < 0.6 else "1"

    def adopter_rows(self, rng: random.Random) -> list[Row]:
        m, A, ws = self.m, self.A, self.ws
        out: list[Row] = []
        for f in self.families:
            dates = [
                d
                for d in (
                    f.enquiry,
                    f.s1s,
                    f.s1e,
                    f.s2s,
                    f.s2e,
                    f.matched,
                    f.placed,
                    f.order,
                    f.left,
                )
                if d is not None and d <= A
            ]
            if not dates or (f.s1s > A) or (max(dates) < ws and f.id not in self.kept_families):
                continue
            if f.older:
                s1s = s1e = s2s = s2e = None
                app, appr = m(f.s1s), m(f.s2e)
            else:
                s1s, s1e, s2s, s2e = m(f.s1s), m(f.s1e), m(f.s2s), m(f.s2e)
                app = appr = None
            placed = m(f.placed)
            left = m(f.left)
            sexes = (
                (
                    ("M", "F")
                    if rng.random() < 0.85
                    else ("F", "F")
                    if rng.random() < 0.6
                    else ("M", "M")
                )
                if f.couple
                else ("F" if rng.random() < 0.8 else "M",)
            )
            for sex in sexes:
                out.append(
                    (
                        self.ids.adopter(),
                        f.id,
                        sex,
                        K.ADOPTER_ETHNICITY.pick(rng.random()),
                        "Y" if rng.random() < 0.04 else "N",
                        self.yn(f.ffa),
                        m(f.enquiry),
                        s1s,
                        s1e,
                        s2s,
                        s2e,
                        app,
                        appr,
                        m(f.matched),
                        placed,
                        f.children if placed is not None else None,
                        m(f.order),
                        left,
                        f.reason if left is not None else None,
                    )
                )
        return out

    # --- the end of a child's journey ---------------------------------------------------------

    def finish_child(self, rng: random.Random, c: Child) -> None:
        """Care-leaver status, person-level rows; append the child's rows to the batch if kept."""
        self.care_leaver(rng, c)
        if c.perm is not None and c.perm_ref in c.kept_refs:
            c.rows.setdefault("ssd_permanence", []).append(c.perm)
        if not c.rows:
            return
        A = self.A
        born = c.dob <= A
        gender = c.gender if born else "U"
        edd = c.edd
        if edd is not None and not born and edd <= A:
            edd = A + 1 + (c.dob - A) % 10
        c.rows.setdefault("ssd_person", []).append(
            (c.id, c.legacy, gender, gender, c.eth, c.dob if born else None, edd, self.m(c.death))
        )
        if c.disab:
            rows = c.rows.setdefault("ssd_disability", [])
            for code in c.disab:
                rows.append((self.ids.new("ssd_disability"), c.id, code))
        if c.uasc and c.care:
            s = c.care[0][0]
            if s <= A:
                d18 = c.d18
                rows = c.rows.setdefault("ssd_immigration_status", [])
                rows.append((self.ids.new("ssd_immigration_status"), c.id, "UASC", s, self.m(d18)))
                if d18 <= A:
                    rows.append((self.ids.new("ssd_immigration_status"), c.id, "OTHER", d18, None))
        elif c.eth in ("BAFR", "AOTH", "OOTH") and rng.random() < 0.04:
            first = min(r[2] for r in c.rows.get("ssd_contacts", [(None, None, A)]))
            c.rows.setdefault("ssd_immigration_status", []).append(
                (self.ids.new("ssd_immigration_status"), c.id, "OTHER", first, None)
            )
        for table, rows in c.rows.items():
            self.batch.setdefault(table, []).extend(rows)

    def care_leaver(self, rng: random.Random, c: Child) -> None:
        """Leaving-care eligibility, personal adviser and the care-leaver record (List 9)."""
        if not c.care:
            return
        A = self.A
        d14, d16, d18 = add_mo(c.dob, 168), add_mo(c.dob, 192), c.d18
        # 13 weeks looked after since 14 and still looked after at 16 or later -> eligible
        acc = 0
        elig_at = None
        for s, e in sorted(c.care):
            a, b = max(s, d14), min(e, d18)
            if b > a:
                if acc + (b - a) >= 91 and elig_at is None:
                    elig_at = a + (91 - acc)
                acc += b - a
        in_care_16 = [(s, e) for s, e in c.care if e > d16 and s < d18]
        if not in_care_16:
            return
        last_end = max(e for s, e in in_care_16)
        eligible = elig_at is not None and elig_at < last_end
        if eligible:
            assert elig_at is not None
            pa_start = max(d16, elig_at)
        else:
            pa_start = last_end  # qualifying: advice and assistance after leaving care
        if pa_start > A or c.death is not None and c.death <= pa_start:
            return
        long_support = rng.random() < 0.35
        pa_end = add_mo(c.dob, 300 if long_support else 252)
        if not eligible:
            pa_end = add_mo(c.dob, 252)
        age_a = self.age(c, A)
        in_care_at_a = any(s <= A < e for s, e in c.care)
        if c.death is not None:
            pa_end = min(pa_end, c.death)
        if pa_end < self.ws:
            return
        seg = Segment(rng, self.wf, "LC", "16PLUS", pa_start, c.last_ref, None, A)
        seg.end = pa_end
        self.involvements(c, None, seg)
        # status at the as-at date
        if not eligible:
            elig = "QUALIFYING" if age_a < 21 else "NONE"
        elif in_care_at_a and age_a < 18:
            elig = "ELIGIBLE"
        elif age_a < 18:
            elig = "RELEVANT"
        elif pa_end > A:
            elig = "FORMER_RELEVANT"
        else:
            elig = "NONE"
        if c.death is not None and c.death <= A:
            touch = "DIED"
        elif elig == "NONE":
            touch = "NREQ" if rng.random() < 0.6 else "NO"
        elif in_care_at_a:
            touch = "YES" if rng.random() < 0.98 else "REFU"
        else:
            u = rng.random()
            base = 0.97 if age_a < 18 else 0.88 if age_a < 22 else 0.76
            touch = (
                "YES"
                if u < base
                else "NO"
                if u < base + (1 - base) * 0.45
                else "REFU"
                if u < base + (1 - base) * 0.65
                else "NREQ"
                if u < base + (1 - base) * 0.85
                else "RHOM"
            )
        end_ref = min(pa_end, A)
        if touch == "YES":
            latest = A - int(rng.random() * 75)
        elif elig == "NONE":
            latest = end_ref - int(rng.random() * 60)
        else:
            latest = A - 90 - int(rng.random() * 300)
        latest = max(latest, pa_start)
        accom = suit = act = None
        if touch == "YES":
            accom = (K.ACCOM_16 if age_a < 18 else K.ACCOM_18).pick(rng.random())
            unsuitable = accom in K.UNSUITABLE_USUALLY and rng.random() < 0.8 or rng.random() < 0.05
            suit = "2" if unsuitable else "1"
            act = (K.ACTIVITY_16 if age_a < 18 else K.ACTIVITY_18).pick(rng.random())
        u = rng.random()
        if elig == "NONE":
            review = end_ref - 30 - int(rng.random() * 150) if u < 0.7 else None
        else:
            review = (
                A - int(rng.random() * 180)
                if u < 0.8
                else A - 181 - int(rng.random() * 220)
                if u < 0.95
                else None
            )
        if review is not None and review < pa_start:
            review = None
        pa = seg.worker_at(end_ref)
        pa_id: str | None = pa.prof_id if rng.random() > 0.03 or elig == "NONE" else None
        if in_care_at_a and age_a < 18 and c.last_cw is not None and c.last_cw.end is None:
            cw = c.last_cw.slot_at(A)
            team, worker = cw.team_id, cw.at(A).prof_id
        else:
            team, worker = seg.slot_at(end_ref).team_id, pa.prof_id
        rows = c.rows.setdefault("ssd_care_leavers", [])
        rows.append(
            (
                self.ids.new("ssd_care_leavers"),
                c.id,
                elig,
                touch,
                latest,
                accom,
                suit,
                act,
                review,
                pa_id,
                team,
                worker,
            )
        )
        if rng.random() < 0.08 and latest - 200 > pa_start:
            rows.append(
                (
                    self.ids.new("ssd_care_leavers"),
                    c.id,
                    elig,
                    touch,
                    latest - 150 - int(rng.random() * 300),
                    accom,
                    suit,
                    act,
                    review,
                    pa_id,
                    team,
                    worker,
                )
            )
