"""Fault injection: corrupt a clean synthetic CMS in known ways and say which rule must catch each.

Public API::

    manifest = inject(url, as_at, per_class=3, seed=1, classes=None)
    write_manifest(path, manifest)

Why: the validation gate must be shown to stop a bad return, record by record. ``inject`` takes a
CMS already generated (clean) at ``url`` and, for each fault class, corrupts ``per_class``
records chosen deterministically from ``seed``. The manifest says, per class, the rule id of the
gate that must fail and exactly the record ids it must report (``"ids"``): a fault is caught when
that rule's failing ids are those ids, no more and no fewer. So records are chosen where the
effect on the lists is certain (one period of care, one CP plan, an untied latest placement, ...)
and the ids are computed from the rows actually changed. Records of one class never share a
person with another class's, so no class disturbs another's rule.

Everything goes through SQLAlchemy Core on the contract tables (no dialect SQL), in one
transaction: it works on SQLite and PostgreSQL, and a class that finds no candidate rolls the
whole injection back. The same CMS, as-at date, ``per_class``, ``seed`` and classes give the same
faults. Run it once, on a clean CMS generated as at the same date (``annexa generate --faults``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from annexa.core.dates import Windows
from annexa.source.contract import metadata

PLACEHOLDER_DATE = dt.date(1900, 1, 1)
FUTURE_DATE = dt.date(2099, 1, 1)
UNMAPPED_PLACEMENT_TYPE = "ZZ9"
# legal statuses that make a period "short breaks only" (D21(a)) or are not looked-after at all
_SHORT_BREAK_CODES = frozenset({"V1", "V3", "V4"})
_NOT_LOOKED_AFTER = frozenset({"NONLAC"})
_FLAG_YES = frozenset({"y", "yes", "true", "1"})


@dataclass(frozen=True)
class FaultClass:
    name: str
    rule: str
    description: str
    severity: str = "error"  # of the rule that catches it (docs/validation.md, issue 14)


FAULT_CLASSES: tuple[FaultClass, ...] = (
    FaultClass(
        "duplicate_key",
        "ssd_contacts:key_unique:cont_contact_id",
        "contact rows copied with the same cont_contact_id (ssd_contacts rebuilt without "
        "its primary key so that the copies can be stored)",
    ),
    FaultClass(
        "orphan_child",
        "ssd_contacts:child_joins:cont_person_id",
        "new contacts dated in W6 whose cont_person_id is not in ssd_person",
        "warning",
    ),
    FaultClass(
        "placeholder_date",
        "ssd_cin_episodes:placeholder_value:cine_referral_date",
        "cine_referral_date of referrals dated in W6 set to the placeholder 1900-01-01",
        "warning",
    ),
    FaultClass(
        "future_date",
        "ssd_cin_assessments:future_date:cina_assessment_start_date",
        "cina_assessment_start_date of assessments started in W6 set to 2099-01-01",
        "warning",
    ),
    FaultClass(
        "unmapped_code",
        "list_8:required:placement_type",
        "List 8 children's current placement type set to the unmapped value 'ZZ9'",
    ),
    FaultClass(
        "end_before_start",
        "list_7:date_order:cp_plan_end_date",
        "a child's only CP plan, started in W6, ends the day before it starts",
        "warning",
    ),
    FaultClass(
        "birth_after_care",
        "list_8:event_after_birth:date_started_looked_after",
        "List 8 children's date of birth set to 30 days after they started to be looked after",
    ),
    FaultClass(
        "missing_dob",
        "list_8:required:date_of_birth",
        "List 8 children's date of birth and expected date of birth removed",
    ),
    FaultClass(
        "icpc_without_plan",
        "cross:icpc_plan_in_list_7",
        "every CP plan deleted for children whose ICPC in W6 (on List 5) resulted in a plan",
    ),
)
CLASSES: tuple[str, ...] = tuple(c.name for c in FAULT_CLASSES)
_BY_NAME = {c.name: c for c in FAULT_CLASSES}


class FaultError(RuntimeError):
    """A fault class found nothing to corrupt, or the request is not valid."""


@dataclass
class _Ctx:
    conn: sa.Connection
    md: sa.MetaData
    windows: Windows
    seed: int
    used_persons: set[str] = field(default_factory=set)

    @property
    def as_at(self) -> dt.date:
        return self.windows.as_at

    @property
    def w6_start(self) -> dt.date:
        return self.windows.w6_start

    def t(self, name: str) -> sa.Table:
        return self.md.tables[name]

    def rng(self, name: str) -> random.Random:
        return random.Random(f"annexa:faults:{self.seed}:{name}")


@dataclass(frozen=True)
class _Candidate:
    record_id: str  # the id the rule reports
    person_id: str
    payload: Any = None  # what the fault writes from: a date, or the source row it edits


def _pick(ctx: _Ctx, name: str, candidates: Iterable[_Candidate], n: int) -> list[_Candidate]:
    """``n`` candidates (seeded shuffle of the id-sorted list), one per person, none of a person
    another class used; their persons are then marked used."""
    pool = sorted(candidates, key=lambda c: (c.record_id, c.person_id))
    ctx.rng(name).shuffle(pool)
    chosen: list[_Candidate] = []
    persons: set[str] = set()
    for c in pool:
        if len(chosen) == n:
            break
        if c.person_id in ctx.used_persons or c.person_id in persons:
            continue
        chosen.append(c)
        persons.add(c.person_id)
    ctx.used_persons |= persons
    return chosen


def _in_w6(ctx: _Ctx, col: sa.ColumnElement) -> sa.ColumnElement[bool]:
    return col.between(ctx.w6_start, ctx.as_at)


def _persons(ctx: _Ctx) -> set[str]:
    p = ctx.t("ssd_person")
    return {
        r[0]
        for r in ctx.conn.execute(
            sa.select(p.c.pers_person_id).where(p.c.pers_person_id.is_not(None))
        )
    }


def _new_ids(
    ctx: _Ctx, col: sa.Column, n: int, *, gap: int = 1, also_avoid: Iterable[sa.Column] = ()
) -> list[str]:
    """``n`` ids not yet in ``col`` (nor in ``also_avoid``): after the largest numeric id, in the
    same style; ``FAULT-k`` when the ids are not numbers."""
    top = ctx.conn.execute(
        sa.select(col)
        .where(col.is_not(None))
        .order_by(sa.func.length(col).desc(), col.desc())
        .limit(1)
    ).scalar()
    start = int(top) + gap if top is not None and str(top).isdigit() else None
    out: list[str] = []
    k = 0
    while len(out) < n:
        batch = [
            str(start + k + i) if start is not None else f"FAULT-{k + i + 1}"
            for i in range(n - len(out))
        ]
        k += len(batch)
        taken: set[str] = set()
        for c in (col, *also_avoid):
            taken |= {r[0] for r in ctx.conn.execute(sa.select(c).where(c.in_(batch)))}
        out += [b for b in batch if b not in taken]
    return out


def _drop_primary_key(conn: sa.Connection, name: str) -> bool:
    """Rebuild table ``name`` with the same columns, types and NOT NULLs but no primary key, so
    that repeated keys can be stored (as in a source read from views or copies without
    constraints). Portable: copy aside, drop, create, copy back. Returns whether it did."""
    if not sa.inspect(conn).get_pk_constraint(name).get("constrained_columns"):
        return False
    old = sa.Table(name, sa.MetaData(), autoload_with=conn)

    def columns() -> list[sa.Column]:
        return [
            sa.Column(c.name, c.type, nullable=c.nullable and not c.primary_key)
            for c in old.columns
        ]

    names = [c.name for c in old.columns]
    tmp = sa.Table(f"{name}__annexa_faults_copy", sa.MetaData(), *columns())
    tmp.create(conn)
    conn.execute(tmp.insert().from_select(names, sa.select(*old.c)))
    old.drop(conn)
    new = sa.Table(name, sa.MetaData(), *columns())
    new.create(conn)
    conn.execute(new.insert().from_select(names, sa.select(*[tmp.c[n] for n in names])))
    tmp.drop(conn)
    return True


# 1-4: source-table faults -------------------------------------------------------------------


def _duplicate_key(ctx: _Ctx, n: int) -> list[str]:
    c = ctx.t("ssd_contacts")
    rows = ctx.conn.execute(
        sa.select(c.c.cont_contact_id, c.c.cont_person_id).where(
            _in_w6(ctx, c.c.cont_contact_date),
            c.c.cont_person_id.is_not(None),
            c.c.cont_contact_id.is_not(None),
        )
    ).all()
    # only keys held once now, so that each chosen key ends up on exactly two rows
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r.cont_contact_id] += 1
    chosen = _pick(
        ctx,
        "duplicate_key",
        [
            _Candidate(r.cont_contact_id, r.cont_person_id)
            for r in rows
            if counts[r.cont_contact_id] == 1
        ],
        n,
    )
    if not chosen:
        return []
    ids = [x.record_id for x in chosen]
    copies = [
        dict(r._mapping) for r in ctx.conn.execute(sa.select(c).where(c.c.cont_contact_id.in_(ids)))
    ]
    _drop_primary_key(ctx.conn, "ssd_contacts")
    ctx.conn.execute(c.insert(), copies)
    return ids


def _orphan_child(ctx: _Ctx, n: int) -> list[str]:
    c, p = ctx.t("ssd_contacts"), ctx.t("ssd_person")
    template = ctx.conn.execute(
        sa.select(c.c.cont_contact_source_code, c.c.cont_contact_source_desc)
        .where(_in_w6(ctx, c.c.cont_contact_date))
        .order_by(c.c.cont_contact_id)
        .limit(200)
    ).all()
    if not template:
        return []
    rng = ctx.rng("orphan_child")
    contact_ids = _new_ids(ctx, c.c.cont_contact_id, n)
    person_ids = _new_ids(ctx, p.c.pers_person_id, n, gap=900_000, also_avoid=(c.c.cont_person_id,))
    days = (ctx.as_at - ctx.w6_start).days
    rows = []
    for cid, pid in zip(contact_ids, person_ids, strict=True):
        src = template[rng.randrange(len(template))]
        rows.append(
            {
                "cont_contact_id": cid,
                "cont_person_id": pid,
                "cont_contact_date": ctx.w6_start + dt.timedelta(rng.randint(0, days)),
                "cont_contact_source_code": src.cont_contact_source_code,
                "cont_contact_source_desc": src.cont_contact_source_desc,
            }
        )
        ctx.used_persons.add(pid)
    ctx.conn.execute(c.insert(), rows)
    return contact_ids


def _set_date(
    ctx: _Ctx, name: str, table: str, key: str, person: str, column: str, value: dt.date, n: int
) -> list[str]:
    """Set ``column`` to ``value`` on ``n`` rows whose ``column`` lies in W6."""
    t = ctx.t(table)
    rows = ctx.conn.execute(
        sa.select(t.c[key], t.c[person]).where(
            _in_w6(ctx, t.c[column]), t.c[key].is_not(None), t.c[person].is_not(None)
        )
    ).all()
    chosen = _pick(ctx, name, [_Candidate(r[0], r[1]) for r in rows], n)
    ids = [x.record_id for x in chosen]
    if ids:
        ctx.conn.execute(sa.update(t).where(t.c[key].in_(ids)).values({column: value}))
    return ids


def _placeholder_date(ctx: _Ctx, n: int) -> list[str]:
    return _set_date(
        ctx,
        "placeholder_date",
        "ssd_cin_episodes",
        "cine_referral_id",
        "cine_person_id",
        "cine_referral_date",
        PLACEHOLDER_DATE,
        n,
    )


def _future_date(ctx: _Ctx, n: int) -> list[str]:
    return _set_date(
        ctx,
        "future_date",
        "ssd_cin_assessments",
        "cina_assessment_id",
        "cina_person_id",
        "cina_assessment_start_date",
        FUTURE_DATE,
        n,
    )


# 5, 7, 8: List 8 children ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Period:
    person_id: str
    period_id: str
    start: dt.date


def _list_8_periods(ctx: _Ctx) -> list[_Period]:
    """Children certain to be on List 8 with this period (int_cla__list_8_periods): a person in
    ssd_person whose episodes started by A all carry one clae_cla_id (one period of care, so it is
    the one chosen), whose latest episode had not ceased by A (open at A), and who has a
    looked-after legal status other than short breaks overlapping the period (not short breaks
    only). Period start as the SQL: earliest entered-care date, else earliest episode start."""
    e, s = ctx.t("ssd_cla_episodes"), ctx.t("ssd_legal_status")
    persons = _persons(ctx)
    episodes: dict[str, list] = defaultdict(list)
    for r in ctx.conn.execute(
        sa.select(
            e.c.clae_person_id,
            e.c.clae_cla_id,
            e.c.clae_cla_episode_id,
            e.c.clae_cla_episode_start_date,
            e.c.clae_cla_episode_ceased_date,
            e.c.clae_entered_care_date,
        ).where(e.c.clae_person_id.is_not(None), e.c.clae_cla_episode_start_date <= ctx.as_at)
    ):
        episodes[r.clae_person_id].append(r)
    statuses: dict[str, list] = defaultdict(list)
    for st in ctx.conn.execute(
        sa.select(
            s.c.lega_person_id,
            s.c.lega_legal_status,
            s.c.lega_legal_status_start_date,
            s.c.lega_legal_status_end_date,
        ).where(s.c.lega_legal_status_start_date <= ctx.as_at, s.c.lega_legal_status.is_not(None))
    ):
        statuses[st.lega_person_id].append(st)
    out = []
    for pid, eps in episodes.items():
        period_ids = {r.clae_cla_id for r in eps}
        if pid not in persons or len(period_ids) != 1 or None in period_ids:
            continue
        last = max(
            eps,
            key=lambda r: (
                r.clae_cla_episode_start_date,
                r.clae_cla_episode_ceased_date or dt.date.max,
                r.clae_cla_episode_id,
            ),
        )
        if (
            last.clae_cla_episode_ceased_date is not None
            and last.clae_cla_episode_ceased_date <= ctx.as_at
        ):
            continue
        entered = [r.clae_entered_care_date for r in eps if r.clae_entered_care_date]
        start = min(entered) if entered else min(r.clae_cla_episode_start_date for r in eps)
        looked_after = any(
            st.lega_legal_status not in _SHORT_BREAK_CODES | _NOT_LOOKED_AFTER
            and (st.lega_legal_status_end_date is None or st.lega_legal_status_end_date >= start)
            and not (
                st.lega_legal_status_end_date == start and st.lega_legal_status_start_date < start
            )
            for st in statuses.get(pid, ())
        )
        if looked_after and start <= ctx.as_at:
            out.append(_Period(pid, period_ids.pop(), start))
    return out


def _current_placements(ctx: _Ctx, periods: Sequence[_Period]) -> dict[str, str]:
    """Period id -> the placement List 8 shows for it (latest start on or before A), only where
    every placement of the child names that period and the latest start is not tied."""
    p = ctx.t("ssd_cla_placement")
    by_period = {x.period_id: x for x in periods}
    by_person = {x.person_id: x for x in periods}
    rows: dict[str, list] = defaultdict(list)
    for r in ctx.conn.execute(
        sa.select(
            p.c.clap_cla_placement_id,
            p.c.clap_cla_id,
            p.c.clap_person_id,
            p.c.clap_cla_placement_start_date,
        )
    ):
        owners = (by_period.get(r.clap_cla_id), by_person.get(r.clap_person_id))
        for owner in {o for o in owners if o is not None}:
            rows[owner.period_id].append(r)
    out = {}
    for period_id, pls in rows.items():
        person = by_period[period_id].person_id
        if any(
            r.clap_cla_id != period_id
            or r.clap_person_id not in (None, person)
            or r.clap_cla_placement_id is None
            for r in pls
        ):
            continue
        started = [
            r
            for r in pls
            if r.clap_cla_placement_start_date is not None
            and r.clap_cla_placement_start_date <= ctx.as_at
        ]
        if not started:
            continue
        latest = max(r.clap_cla_placement_start_date for r in started)
        current = [r for r in started if r.clap_cla_placement_start_date == latest]
        if len(current) == 1:
            out[period_id] = current[0].clap_cla_placement_id
    return out


def _unmapped_code(ctx: _Ctx, n: int) -> list[str]:
    periods = _list_8_periods(ctx)
    current = _current_placements(ctx, periods)
    chosen = _pick(
        ctx,
        "unmapped_code",
        [
            _Candidate(x.period_id, x.person_id, current[x.period_id])
            for x in periods
            if x.period_id in current
        ],
        n,
    )
    p = ctx.t("ssd_cla_placement")
    for x in chosen:
        ctx.conn.execute(
            sa.update(p)
            .where(p.c.clap_cla_placement_id == x.payload)
            .values(clap_cla_placement_type=UNMAPPED_PLACEMENT_TYPE)
        )
    return [x.record_id for x in chosen]


def _birth_after_care(ctx: _Ctx, n: int) -> list[str]:
    latest_start = ctx.as_at - dt.timedelta(days=60)
    chosen = _pick(
        ctx,
        "birth_after_care",
        [
            _Candidate(x.period_id, x.person_id, x.start)
            for x in _list_8_periods(ctx)
            if x.start <= latest_start
        ],
        n,
    )
    p = ctx.t("ssd_person")
    for x in chosen:
        ctx.conn.execute(
            sa.update(p)
            .where(p.c.pers_person_id == x.person_id)
            .values(pers_dob=x.payload + dt.timedelta(days=30))
        )
    return [x.record_id for x in chosen]


def _missing_dob(ctx: _Ctx, n: int) -> list[str]:
    chosen = _pick(
        ctx, "missing_dob", [_Candidate(x.period_id, x.person_id) for x in _list_8_periods(ctx)], n
    )
    p = ctx.t("ssd_person")
    if chosen:
        ctx.conn.execute(
            sa.update(p)
            .where(p.c.pers_person_id.in_([x.person_id for x in chosen]))
            .values(pers_dob=None, pers_expected_dob=None)
        )
    return [x.record_id for x in chosen]


# 6, 9: child protection ------------------------------------------------------------------------


def _end_before_start(ctx: _Ctx, n: int) -> list[str]:
    """A child's only CP plan (so List 7 shows it), started after W6's first day (so an end the
    day before still keeps it in List 7's scope), not held for another LA."""
    cp = ctx.t("ssd_cp_plans")
    persons = _persons(ctx)
    plans: dict[str, list] = defaultdict(list)
    for r in ctx.conn.execute(
        sa.select(
            cp.c.cppl_cp_plan_id,
            cp.c.cppl_person_id,
            cp.c.cppl_cp_plan_start_date,
            cp.c.cppl_cp_plan_ola,
        ).where(cp.c.cppl_person_id.is_not(None))
    ):
        plans[r.cppl_person_id].append(r)
    candidates = []
    for pid, rows in plans.items():
        if pid not in persons or len(rows) != 1:
            continue
        r = rows[0]
        start = r.cppl_cp_plan_start_date
        if r.cppl_cp_plan_id is None or start is None or not ctx.w6_start < start <= ctx.as_at:
            continue
        if str(r.cppl_cp_plan_ola or "").strip().lower() in _FLAG_YES:
            continue
        candidates.append(_Candidate(r.cppl_cp_plan_id, pid, start))
    chosen = _pick(ctx, "end_before_start", candidates, n)
    for x in chosen:
        ctx.conn.execute(
            sa.update(cp)
            .where(cp.c.cppl_cp_plan_id == x.record_id)
            .values(cppl_cp_plan_end_date=x.payload - dt.timedelta(days=1))
        )
    return [x.record_id for x in chosen]


def _yes(flag: object) -> bool:
    return flag is not None and str(flag).strip().lower() in _FLAG_YES


def _icpc_without_plan(ctx: _Ctx, n: int) -> list[str]:
    """List 5 rows (S47 enquiries open in W6) whose linked ICPC (the earliest held by A) resulted
    in a plan; a child qualifies when exactly one of its List 5 rows is such a row and that ICPC
    was held in W6 with icpc_icpc_outcome_cp_flag Y. All its CP plans are deleted, so it is not on
    List 7 and that one row, only, fails the cross-list rule."""
    s47, icpc, cp = (
        ctx.t("ssd_s47_enquiry"),
        ctx.t("ssd_initial_cp_conference"),
        ctx.t("ssd_cp_plans"),
    )
    persons = _persons(ctx)
    first_icpc: dict[str, Any] = {}  # enquiry id -> its earliest ICPC row
    for r in ctx.conn.execute(
        sa.select(
            icpc.c.icpc_s47_enquiry_id,
            icpc.c.icpc_icpc_id,
            icpc.c.icpc_icpc_date,
            icpc.c.icpc_icpc_outcome_cp_flag,
            icpc.c.icpc_cp_plan_id,
            icpc.c.icpc_icpc_outcome_json,
        ).where(icpc.c.icpc_s47_enquiry_id.is_not(None), icpc.c.icpc_icpc_date <= ctx.as_at)
    ):
        key = (r.icpc_icpc_date, r.icpc_icpc_id or "")
        held = first_icpc.get(r.icpc_s47_enquiry_id)
        if held is None or key < (held.icpc_icpc_date, held.icpc_icpc_id or ""):
            first_icpc[r.icpc_s47_enquiry_id] = r

    def resulted_in_plan(r) -> bool:  # as stg_ssd__initial_cp_conference reads the outcome
        if r.icpc_icpc_outcome_cp_flag is not None and str(r.icpc_icpc_outcome_cp_flag).strip():
            return _yes(r.icpc_icpc_outcome_cp_flag)
        if r.icpc_cp_plan_id:
            return True
        try:
            return _yes(json.loads(r.icpc_icpc_outcome_json or "{}").get("CP_FLAG"))
        except (ValueError, AttributeError):
            return False

    yes_rows: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for enq in ctx.conn.execute(
        sa.select(s47.c.s47e_s47_enquiry_id, s47.c.s47e_person_id).where(
            s47.c.s47e_person_id.is_not(None),
            s47.c.s47e_s47_enquiry_id.is_not(None),
            s47.c.s47e_s47_start_date <= ctx.as_at,
            sa.or_(s47.c.s47e_s47_end_date.is_(None), s47.c.s47e_s47_end_date >= ctx.w6_start),
        )
    ):
        conf = first_icpc.get(enq.s47e_s47_enquiry_id)
        if conf is not None and resulted_in_plan(conf):
            yes_rows[enq.s47e_person_id].append((enq.s47e_s47_enquiry_id, conf))
    candidates = [
        _Candidate(rows[0][0], pid)
        for pid, rows in yes_rows.items()
        if pid in persons
        and len(rows) == 1
        and ctx.w6_start <= rows[0][1].icpc_icpc_date <= ctx.as_at
        and _yes(rows[0][1].icpc_icpc_outcome_cp_flag)
    ]
    chosen = _pick(ctx, "icpc_without_plan", candidates, n)
    if chosen:
        ctx.conn.execute(
            sa.delete(cp).where(cp.c.cppl_person_id.in_([x.person_id for x in chosen]))
        )
    return [x.record_id for x in chosen]


def _engine(url: str) -> sa.Engine:
    """An engine whose transactions cover DDL too. pysqlite opens a transaction only before
    INSERT/UPDATE/DELETE, so the rebuild of ssd_contacts would commit piecemeal and a later
    failure could not roll it back: on SQLite, SQLAlchemy's documented recipe (driver
    autocommit off, an explicit BEGIN) makes the whole injection one transaction."""
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _driver_autocommit(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            conn.exec_driver_sql("BEGIN")

    return engine


_INJECTORS: dict[str, Callable[[_Ctx, int], list[str]]] = {
    "duplicate_key": _duplicate_key,
    "orphan_child": _orphan_child,
    "placeholder_date": _placeholder_date,
    "future_date": _future_date,
    "unmapped_code": _unmapped_code,
    "end_before_start": _end_before_start,
    "birth_after_care": _birth_after_care,
    "missing_dob": _missing_dob,
    "icpc_without_plan": _icpc_without_plan,
}


def inject(
    url: str, as_at: dt.date, *, per_class: int = 3, seed: int = 1, classes: list[str] | None = None
) -> dict[str, dict]:
    """Corrupt ``per_class`` records per fault class in the clean CMS at ``url``; returns the
    manifest ``{class: {"rule", "ids", "description", "requested", "injected"}}``.

    Classes run in the order of ``CLASSES`` whatever the order asked, so the result depends only
    on the CMS, ``as_at``, ``per_class``, ``seed`` and the set of classes. A class with fewer
    candidates than asked injects what it can (``injected`` < ``requested``); one with none raises
    ``FaultError`` and nothing is changed.
    """
    wanted = list(CLASSES) if classes is None else list(classes)
    unknown = sorted(set(wanted) - set(CLASSES))
    if unknown:
        raise FaultError(
            f"unknown fault class(es): {', '.join(unknown)} (known: {', '.join(CLASSES)})"
        )
    if per_class < 1:
        raise FaultError(f"per_class must be at least 1: {per_class}")
    engine = _engine(url)
    manifest: dict[str, dict] = {}
    try:
        with engine.begin() as conn:
            ctx = _Ctx(conn, metadata(), Windows.for_date(as_at), seed)
            for name in CLASSES:
                if name not in wanted:
                    continue
                ids = _INJECTORS[name](ctx, per_class)
                fc = _BY_NAME[name]
                if not ids:
                    raise FaultError(
                        f"fault class {name}: no record qualifies in this CMS as at "
                        f"{as_at.isoformat()}; nothing was changed"
                    )
                manifest[name] = {
                    "rule": fc.rule,
                    "severity": fc.severity,
                    "ids": sorted(str(i) for i in ids),
                    "description": fc.description,
                    "requested": per_class,
                    "injected": len(ids),
                }
    finally:
        engine.dispose()
    return manifest


def write_manifest(path: str | os.PathLike, manifest: dict[str, dict]) -> Path:
    """Write the manifest as JSON, readable by the owner only (0600); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT
    return path
