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
import multiprocessing
import os
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from annexa.core.dates import Windows
from annexa.core.files import write_json
from annexa.source.contract import metadata
from annexa.source.extract import decode_legacy_text

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
    rule: str | None  # the rule that must report exactly the injected records (None: tolerated)
    description: str
    severity: str = "error"  # of that rule (docs/validation.md, issue 14), or "tolerated"
    # gate: injected by ``inject`` by default, caught by the validation gate (or tolerated);
    # extract: breaks the source contract, so the extract stops (one class per CMS, on request);
    # during_extract: a change made while the extract runs (``concurrent_change``)
    kind: str = "gate"


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
    FaultClass(
        "null_key",
        "ssd_cin_assessments:key_not_null:cina_assessment_id",
        "cina_assessment_id of assessments started in W6 set to NULL (the table rebuilt without "
        "its primary key); the rule names each as '(no key) person <id>'",
    ),
    FaultClass(
        "leading_zeros",
        "ssd_cin_episodes:id_leading_zeros:cine_person_id",
        "a child's person id given two leading zeros in ssd_person and every other table but "
        "ssd_cin_episodes, as when one table stored the ids as numbers; ids: the child's "
        "referrals",
    ),
    FaultClass(
        "placeholder_text",
        "ssd_early_help_episodes:placeholder_value:earl_episode_worker_id",
        "earl_episode_worker_id of early help episodes open in W6 set to SSD_PH",
        "warning",
    ),
    FaultClass(
        "overlapping_cla_episodes",
        "ssd_cla_episodes:no_overlap:clae_cla_episode_start_date",
        "a second open episode, a day after the latest one started, added to List 8 children's "
        "period; ids: both episodes",
    ),
    FaultClass(
        "overlapping_placements",
        "ssd_cla_placement:no_overlap:clap_cla_placement_start_date",
        "a second placement, a day after the current one started and ending with it, added to "
        "List 8 children's period; ids: both placements",
    ),
    FaultClass(
        "overlapping_cp_plans",
        "ssd_cp_plans:no_overlap:cppl_cp_plan_start_date",
        "a second CP plan, a day after the child's only plan (started in W6) started; ids: both "
        "plans",
    ),
    FaultClass(
        "two_dobs",
        "ssd_person:dob_agrees:pers_dob",
        "a second ssd_person row for a child on List 1, with a date of birth 400 days earlier "
        "(ssd_person rebuilt without its primary key)",
    ),
    FaultClass(
        "empty_table",
        "ssd_care_leavers:not_empty",
        "every row of ssd_care_leavers deleted (a failed load), caught where a return with care "
        "leavers was published before; id: the table",
    ),
    FaultClass(
        "whitespace_code",
        None,
        "List 8 children's current placement type padded with spaces and a tab; tolerated: "
        "codes are trimmed before mapping, the list shows the code",
        "tolerated",
    ),
    FaultClass(
        "case_code",
        None,
        "List 8 children's gender and ethnicity codes in lower case; tolerated: codes are "
        "compared case-insensitively, the list shows the code",
        "tolerated",
    ),
    FaultClass(
        "non_utf8_text",
        None,
        "early help organisation of List 2 episodes stored as Windows-1252 bytes (not UTF-8; "
        "SQLite only); tolerated: read as Windows-1252, counted (recoded_text)",
        "tolerated",
    ),
    FaultClass(
        "control_characters",
        None,
        "BEL and ESC inside the early help organisation of List 2 episodes; tolerated: removed "
        "at extraction, counted (control_characters)",
        "tolerated",
    ),
    FaultClass(
        "long_text",
        None,
        "a 10,000-character early help organisation on List 2 episodes; tolerated: published whole",
        "tolerated",
    ),
    FaultClass(
        "formula_text",
        None,
        "early help organisations starting with =, +, - and @ on List 2 episodes; tolerated: "
        "inert text in the workbook, an apostrophe before them in the CSV",
        "tolerated",
    ),
    FaultClass(
        "text_in_date",
        "ssd_cin_episodes:date_parses:cine_close_date",
        "cine_close_date of referrals in W6 set to text that is no date ('unknown', 'TBC', "
        "'zz/zz/zzzz', '31/02/2026'; the column made text)",
    ),
    FaultClass(
        "datetime_with_time",
        None,
        "cine_referral_date of referrals in W6 written with a time of day; tolerated: the date "
        "part is the date",
        "tolerated",
    ),
    FaultClass(
        "mixed_date_formats",
        None,
        "cont_contact_date of contacts in W6 written as 31/03/2026, 31 Mar 2026 or 2026/03/31 "
        "among ISO dates; tolerated: read as those dates (UK day-month order), counted "
        "(reformatted_dates)",
        "tolerated",
    ),
    FaultClass(
        "alias_column",
        None,
        "ssd_cin_plans.cinp_cin_plan_id renamed cin_plan_id (the Mosaic build's name); "
        "tolerated: read under its contract name (aliased)",
        "tolerated",
    ),
    FaultClass(
        "extra_column",
        None,
        "a local free-text column cont_worker_notes added to ssd_contacts; tolerated: not read "
        "(extra_columns), so its text reaches nothing",
        "tolerated",
    ),
    FaultClass(
        "missing_table",
        "extract:missing_table",
        "ssd_cla_health dropped: the extract stops naming the table, nothing is published",
        kind="extract",
    ),
    FaultClass(
        "missing_column",
        "extract:missing_column",
        "the required column ssd_cin_assessments.cina_assessment_start_date dropped: the "
        "extract stops naming it, nothing is published",
        kind="extract",
    ),
    FaultClass(
        "changes_during_extract",
        None,
        "contacts added and deleted by another session after ssd_person was read; tolerated: "
        "every table is read in one transaction, so the snapshot is the CMS as it was",
        "tolerated",
        kind="during_extract",
    ),
)
CLASSES: tuple[str, ...] = tuple(c.name for c in FAULT_CLASSES)
# what ``inject`` does by default: every class one CMS can hold at once
GATE_CLASSES: tuple[str, ...] = tuple(c.name for c in FAULT_CLASSES if c.kind == "gate")
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


def _rebuild(
    conn: sa.Connection,
    name: str,
    *,
    nullable: Iterable[str] = (),
    types: dict[str, sa.types.TypeEngine] | None = None,
    rename: dict[str, str] | None = None,
    drop: Iterable[str] = (),
    add: Sequence[tuple[str, sa.types.TypeEngine]] = (),
) -> None:
    """Rebuild table ``name`` without a primary key (so repeated or missing keys can be stored,
    as in a source read from views or copies without constraints), with columns made nullable,
    retyped, renamed, dropped or added. Portable: copy aside, drop, create, copy back."""
    old = sa.Table(name, sa.MetaData(), autoload_with=conn)
    nullable, drop = set(nullable), set(drop)
    types, rename = types or {}, rename or {}
    kept = [c for c in old.columns if c.name not in drop]

    def columns() -> list[sa.Column]:
        return [
            sa.Column(
                rename.get(c.name, c.name),
                types.get(c.name, c.type),
                nullable=(c.nullable and not c.primary_key) or c.name in nullable,
            )
            for c in kept
        ] + [sa.Column(n, t) for n, t in add]

    names = [rename.get(c.name, c.name) for c in kept]
    tmp = sa.Table(f"{name}__annexa_faults_copy", sa.MetaData(), *columns())
    tmp.create(conn)
    conn.execute(tmp.insert().from_select(names, sa.select(*[old.c[c.name] for c in kept])))
    old.drop(conn)
    new = sa.Table(name, sa.MetaData(), *columns())
    new.create(conn)
    conn.execute(new.insert().from_select(names, sa.select(*[tmp.c[n] for n in names])))
    tmp.drop(conn)


def _drop_primary_key(conn: sa.Connection, name: str) -> bool:
    """Rebuild ``name`` without its primary key; returns whether it had one."""
    if not sa.inspect(conn).get_pk_constraint(name).get("constrained_columns"):
        return False
    _rebuild(conn, name)
    return True


def _set_raw(ctx: _Ctx, table: str, key: str, column: str, values: dict[str, object]) -> None:
    """Set ``column`` per key, bypassing the contract's types (text in a date column...)."""
    t = sa.table(table, sa.column(key), sa.column(column))
    for rid, v in values.items():
        ctx.conn.execute(sa.update(t).where(t.c[key] == rid).values({column: v}))


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


# 10-31 (issue 14.2) ----------------------------------------------------------------------------


def _in_w6_rows(ctx: _Ctx, table: str, key: str, person: str, date_col: str, *extra) -> list:
    t = ctx.t(table)
    return list(
        ctx.conn.execute(
            sa.select(t.c[key], t.c[person], t.c[date_col], *[t.c[e] for e in extra]).where(
                _in_w6(ctx, t.c[date_col]), t.c[key].is_not(None), t.c[person].is_not(None)
            )
        ).all()
    )


def _null_key(ctx: _Ctx, n: int) -> list[str]:
    rows = _in_w6_rows(
        ctx,
        "ssd_cin_assessments",
        "cina_assessment_id",
        "cina_person_id",
        "cina_assessment_start_date",
    )
    chosen = _pick(ctx, "null_key", [_Candidate(r[0], r[1]) for r in rows], n)
    if not chosen:
        return []
    _rebuild(ctx.conn, "ssd_cin_assessments", nullable={"cina_assessment_id"})
    _set_raw(
        ctx,
        "ssd_cin_assessments",
        "cina_assessment_id",
        "cina_assessment_id",
        {x.record_id: None for x in chosen},
    )
    return [f"(no key) person {x.person_id}" for x in chosen]


def _person_columns() -> list[tuple[str, str]]:
    from annexa.source.contract import TABLES

    return [
        (t.name, c.name)
        for t in TABLES
        for c in t.columns
        if c.name.endswith("_person_id") or c.name == "pers_person_id"
    ]


def _leading_zeros(ctx: _Ctx, n: int) -> list[str]:
    persons = _persons(ctx)
    rows = _in_w6_rows(
        ctx, "ssd_cin_episodes", "cine_referral_id", "cine_person_id", "cine_referral_date"
    )
    chosen = _pick(
        ctx,
        "leading_zeros",
        [_Candidate(r[1], r[1]) for r in rows if str(r[1]).isdigit() and r[1] in persons],
        n,
    )
    for x in chosen:
        for table, col in _person_columns():
            if col == "cine_person_id":
                continue
            t = sa.table(table, sa.column(col))
            ctx.conn.execute(
                sa.update(t).where(t.c[col] == x.person_id).values({col: "00" + x.person_id})
            )
    e = ctx.t("ssd_cin_episodes")
    return [
        r[0]
        for r in ctx.conn.execute(
            sa.select(e.c.cine_referral_id).where(
                e.c.cine_person_id.in_([x.person_id for x in chosen])
            )
        )
    ]


def _placeholder_text(ctx: _Ctx, n: int) -> list[str]:
    rows = _in_w6_rows(
        ctx,
        "ssd_early_help_episodes",
        "earl_episode_id",
        "earl_person_id",
        "earl_episode_start_date",
        "earl_episode_worker_id",
    )
    chosen = _pick(ctx, "placeholder_text", [_Candidate(r[0], r[1]) for r in rows if r[3]], n)
    _set_raw(
        ctx,
        "ssd_early_help_episodes",
        "earl_episode_id",
        "earl_episode_worker_id",
        {x.record_id: "SSD_PH" for x in chosen},
    )
    return [x.record_id for x in chosen]


def _overlapping(rows: Sequence[tuple[str, dt.date | None, dt.date | None]]) -> set[str]:
    """Ids of rows whose [start, end) overlaps another's (end None = open), as the check frame
    reads them."""
    top = dt.date.max
    out = set()
    for i, (k1, s1, e1) in enumerate(rows):
        for k2, s2, e2 in rows[i + 1 :]:
            if s1 is None or s2 is None or k1 == k2:
                continue
            if (e1 or top) < s1 or (e2 or top) < s2:
                continue
            if s1 < (e2 or top) and s2 < (e1 or top):
                out |= {k1, k2}
    return out


def _add_overlap(
    ctx: _Ctx,
    table: str,
    key: str,
    group: str,
    start: str,
    end: str,
    source: dict,
    *,
    keep_end: bool,
) -> list[str]:
    """Insert a copy of row ``source`` with a new key starting a day later (open, or ending
    with it); returns every id of its group that now overlaps."""
    t = ctx.t(table)
    new_id = _new_ids(ctx, t.c[key], 1)[0]
    copy = dict(source) | {
        key: new_id,
        start: source[start] + dt.timedelta(days=1),
        end: source[end] if keep_end else None,
    }
    ctx.conn.execute(t.insert(), [copy])
    rows = ctx.conn.execute(
        sa.select(t.c[key], t.c[start], t.c[end]).where(t.c[group] == source[group])
    ).all()
    return sorted(_overlapping([tuple(r) for r in rows]))


def _overlapping_cla_episodes(ctx: _Ctx, n: int) -> list[str]:
    e = ctx.t("ssd_cla_episodes")
    latest_start = ctx.as_at - dt.timedelta(days=2)
    cands = []
    for x in _list_8_periods(ctx):
        eps = [
            dict(r._mapping)
            for r in ctx.conn.execute(sa.select(e).where(e.c.clae_person_id == x.person_id))
        ]
        if not eps or any(r["clae_cla_episode_start_date"] is None for r in eps):
            continue
        last = max(eps, key=lambda r: (r["clae_cla_episode_start_date"], r["clae_cla_episode_id"]))
        if (
            last["clae_cla_episode_start_date"] <= latest_start
            and last["clae_cla_episode_ceased_date"] is None
        ):
            cands.append(_Candidate(x.period_id, x.person_id, last))
    ids: list[str] = []
    for c in _pick(ctx, "overlapping_cla_episodes", cands, n):
        ids += _add_overlap(
            ctx,
            "ssd_cla_episodes",
            "clae_cla_episode_id",
            "clae_person_id",
            "clae_cla_episode_start_date",
            "clae_cla_episode_ceased_date",
            c.payload,
            keep_end=False,
        )
    return ids


def _overlapping_placements(ctx: _Ctx, n: int) -> list[str]:
    p = ctx.t("ssd_cla_placement")
    periods = _list_8_periods(ctx)
    current = _current_placements(ctx, periods)
    latest_start = ctx.as_at - dt.timedelta(days=2)
    cands = []
    for x in periods:
        if x.period_id not in current:
            continue
        row = (
            ctx.conn.execute(sa.select(p).where(p.c.clap_cla_placement_id == current[x.period_id]))
            .one()
            ._mapping
        )
        if row["clap_cla_placement_start_date"] <= latest_start:
            cands.append(_Candidate(x.period_id, x.person_id, dict(row)))
    ids: list[str] = []
    for c in _pick(ctx, "overlapping_placements", cands, n):
        ids += _add_overlap(
            ctx,
            "ssd_cla_placement",
            "clap_cla_placement_id",
            "clap_cla_id",
            "clap_cla_placement_start_date",
            "clap_cla_placement_end_date",
            c.payload,
            keep_end=True,
        )
    return ids


def _only_plans_in_w6(ctx: _Ctx) -> list[_Candidate]:
    """Children whose only CP plan started after W6's first day (payload: the plan row)."""
    cp = ctx.t("ssd_cp_plans")
    persons = _persons(ctx)
    plans: dict[str, list] = defaultdict(list)
    for r in ctx.conn.execute(sa.select(cp).where(cp.c.cppl_person_id.is_not(None))):
        plans[r.cppl_person_id].append(dict(r._mapping))
    out = []
    for pid, rows in plans.items():
        if pid not in persons or len(rows) != 1:
            continue
        r = rows[0]
        start = r["cppl_cp_plan_start_date"]
        if r["cppl_cp_plan_id"] is None or start is None or not ctx.w6_start < start < ctx.as_at:
            continue
        if str(r["cppl_cp_plan_ola"] or "").strip().lower() in _FLAG_YES:
            continue
        out.append(_Candidate(r["cppl_cp_plan_id"], pid, r))
    return out


def _overlapping_cp_plans(ctx: _Ctx, n: int) -> list[str]:
    ids: list[str] = []
    for x in _pick(ctx, "overlapping_cp_plans", _only_plans_in_w6(ctx), n):
        ids += _add_overlap(
            ctx,
            "ssd_cp_plans",
            "cppl_cp_plan_id",
            "cppl_person_id",
            "cppl_cp_plan_start_date",
            "cppl_cp_plan_end_date",
            x.payload,
            keep_end=False,
        )
    return ids


def _two_dobs(ctx: _Ctx, n: int) -> list[str]:
    p = ctx.t("ssd_person")
    with_dob = {
        r[0]: dict(r._mapping)
        for r in ctx.conn.execute(sa.select(p.c.pers_person_id, p).where(p.c.pers_dob.is_not(None)))
    }
    rows = _in_w6_rows(
        ctx, "ssd_contacts", "cont_contact_id", "cont_person_id", "cont_contact_date"
    )
    chosen = _pick(ctx, "two_dobs", [_Candidate(r[1], r[1]) for r in rows if r[1] in with_dob], n)
    if not chosen:
        return []
    _rebuild(ctx.conn, "ssd_person")
    copies = []
    for x in chosen:
        row = {k: v for k, v in with_dob[x.person_id].items() if k in p.c}
        copies.append(row | {"pers_dob": row["pers_dob"] - dt.timedelta(days=400)})
    ctx.conn.execute(p.insert(), copies)
    return [x.person_id for x in chosen]


def _empty_table(ctx: _Ctx, n: int) -> list[str]:
    ctx.conn.execute(sa.delete(ctx.t("ssd_care_leavers")))
    return ["ssd_care_leavers"]


def _whitespace_code(ctx: _Ctx, n: int) -> list[str]:
    periods = _list_8_periods(ctx)
    current = _current_placements(ctx, periods)
    p = ctx.t("ssd_cla_placement")
    chosen = _pick(
        ctx,
        "whitespace_code",
        [
            _Candidate(x.period_id, x.person_id, current[x.period_id])
            for x in periods
            if x.period_id in current
        ],
        n,
    )
    for x in chosen:
        code = ctx.conn.execute(
            sa.select(p.c.clap_cla_placement_type).where(p.c.clap_cla_placement_id == x.payload)
        ).scalar()
        _set_raw(
            ctx,
            "ssd_cla_placement",
            "clap_cla_placement_id",
            "clap_cla_placement_type",
            {x.payload: f"  {code}\t "},
        )
    return [x.record_id for x in chosen]


def _case_code(ctx: _Ctx, n: int) -> list[str]:
    p = ctx.t("ssd_person")
    chosen = _pick(
        ctx, "case_code", [_Candidate(x.period_id, x.person_id) for x in _list_8_periods(ctx)], n
    )
    for x in chosen:
        row = ctx.conn.execute(
            sa.select(p.c.pers_gender, p.c.pers_ethnicity).where(p.c.pers_person_id == x.person_id)
        ).one()
        ctx.conn.execute(
            sa.update(p)
            .where(p.c.pers_person_id == x.person_id)
            .values(
                pers_gender=(row.pers_gender or "").lower() or None,
                pers_ethnicity=(row.pers_ethnicity or "").lower() or None,
            )
        )
    return [x.record_id for x in chosen]


def _list_2_episodes(ctx: _Ctx) -> list[_Candidate]:
    """Early help episodes List 2 shows (open in W6, started by A, of a person), with their
    organisation (payload)."""
    e = ctx.t("ssd_early_help_episodes")
    persons = _persons(ctx)
    rows = ctx.conn.execute(
        sa.select(e.c.earl_episode_id, e.c.earl_person_id, e.c.earl_episode_organisation).where(
            e.c.earl_episode_start_date <= ctx.as_at,
            sa.or_(e.c.earl_episode_end_date.is_(None), e.c.earl_episode_end_date >= ctx.w6_start),
            e.c.earl_episode_organisation.is_not(None),
            e.c.earl_episode_id.is_not(None),
        )
    ).all()
    return [_Candidate(r[0], r[1], r[2]) for r in rows if r[1] in persons]


def _set_organisations(
    ctx: _Ctx, name: str, n: int, value: Callable[[int, str], object]
) -> list[str]:
    chosen = _pick(ctx, name, _list_2_episodes(ctx), n)
    _set_raw(
        ctx,
        "ssd_early_help_episodes",
        "earl_episode_id",
        "earl_episode_organisation",
        {x.record_id: value(i, x.payload) for i, x in enumerate(chosen)},
    )
    return [x.record_id for x in chosen]


def non_utf8_value(organisation: str) -> str:
    """The text the non_utf8_text class stores as Windows-1252 bytes (and the list must show)."""
    return f"{organisation} Café – Ñ"


def control_value(organisation: str) -> str:
    return f"{organisation[:3]}\x07{organisation[3:]}\x1b"


def long_value(organisation: str) -> str:
    text = ((organisation.strip() + " ") * (10_000 // (len(organisation) + 1) + 2))[:10_000]
    return text[:-1] + "x"


FORMULA_VALUES = ('=HYPERLINK("http://x.invalid","y")', "+44 Youth Trust", "-1 Service", "@SUM(A1)")


def _non_utf8_text(ctx: _Ctx, n: int) -> list[str]:
    if ctx.conn.dialect.name != "sqlite":
        raise FaultError("fault class non_utf8_text: only a SQLite CMS can hold non-UTF-8 text")
    return _set_organisations(
        ctx,
        "non_utf8_text",
        n,
        lambda _i, org: sa.cast(
            sa.literal(non_utf8_value(org).encode("cp1252"), sa.LargeBinary), sa.Text
        ),
    )


def _control_characters(ctx: _Ctx, n: int) -> list[str]:
    return _set_organisations(ctx, "control_characters", n, lambda _i, org: control_value(org))


def _long_text(ctx: _Ctx, n: int) -> list[str]:
    return _set_organisations(ctx, "long_text", n, lambda _i, org: long_value(org))


def _formula_text(ctx: _Ctx, n: int) -> list[str]:
    return _set_organisations(
        ctx,
        "formula_text",
        max(n, len(FORMULA_VALUES)),
        lambda i, _org: FORMULA_VALUES[i % len(FORMULA_VALUES)],
    )


def _text_in_date(ctx: _Ctx, n: int) -> list[str]:
    rows = _in_w6_rows(
        ctx, "ssd_cin_episodes", "cine_referral_id", "cine_person_id", "cine_referral_date"
    )
    chosen = _pick(ctx, "text_in_date", [_Candidate(r[0], r[1]) for r in rows], n)
    if not chosen:
        return []
    _rebuild(ctx.conn, "ssd_cin_episodes", types={"cine_close_date": sa.String(40)})
    texts = ("unknown", "TBC", "zz/zz/zzzz", "31/02/2026")
    _set_raw(
        ctx,
        "ssd_cin_episodes",
        "cine_referral_id",
        "cine_close_date",
        {x.record_id: texts[i % len(texts)] for i, x in enumerate(chosen)},
    )
    return [x.record_id for x in chosen]


def _datetime_with_time(ctx: _Ctx, n: int) -> list[str]:
    rows = _in_w6_rows(
        ctx, "ssd_cin_episodes", "cine_referral_id", "cine_person_id", "cine_referral_date"
    )
    chosen = _pick(ctx, "datetime_with_time", [_Candidate(r[0], r[1], r[2]) for r in rows], n)
    if not chosen:
        return []
    _rebuild(ctx.conn, "ssd_cin_episodes", types={"cine_referral_date": sa.String(40)})
    times = (" 14:35:00", "T09:05:00", " 23:59:59.997")
    _set_raw(
        ctx,
        "ssd_cin_episodes",
        "cine_referral_id",
        "cine_referral_date",
        {x.record_id: x.payload.isoformat() + times[i % len(times)] for i, x in enumerate(chosen)},
    )
    return [x.record_id for x in chosen]


def _mixed_date_formats(ctx: _Ctx, n: int) -> list[str]:
    rows = _in_w6_rows(
        ctx, "ssd_contacts", "cont_contact_id", "cont_person_id", "cont_contact_date"
    )
    chosen = _pick(ctx, "mixed_date_formats", [_Candidate(r[0], r[1], r[2]) for r in rows], n)
    if not chosen:
        return []
    _rebuild(ctx.conn, "ssd_contacts", types={"cont_contact_date": sa.String(40)})
    formats = ("%d/%m/%Y", "%d %b %Y", "%Y/%m/%d")
    _set_raw(
        ctx,
        "ssd_contacts",
        "cont_contact_id",
        "cont_contact_date",
        {x.record_id: x.payload.strftime(formats[i % len(formats)]) for i, x in enumerate(chosen)},
    )
    return [x.record_id for x in chosen]


def _alias_column(ctx: _Ctx, n: int) -> list[str]:
    _rebuild(ctx.conn, "ssd_cin_plans", rename={"cinp_cin_plan_id": "cin_plan_id"})
    return ["ssd_cin_plans.cin_plan_id"]


def _extra_column(ctx: _Ctx, n: int) -> list[str]:
    _rebuild(ctx.conn, "ssd_contacts", add=[("cont_worker_notes", sa.String(300))])
    t = sa.table("ssd_contacts", sa.column("cont_worker_notes"))
    ctx.conn.execute(sa.update(t).values(cont_worker_notes="Lives with grandmother; see notes"))
    return ["ssd_contacts.cont_worker_notes"]


def _missing_table(ctx: _Ctx, n: int) -> list[str]:
    sa.Table("ssd_cla_health", sa.MetaData(), autoload_with=ctx.conn).drop(ctx.conn)
    return ["ssd_cla_health"]


def _missing_column(ctx: _Ctx, n: int) -> list[str]:
    _rebuild(ctx.conn, "ssd_cin_assessments", drop={"cina_assessment_start_date"})
    return ["ssd_cin_assessments.cina_assessment_start_date"]


def concurrent_change(
    url: str, as_at: dt.date, *, per_class: int = 3, seed: int = 1, after_table: str = "ssd_person"
) -> tuple[Callable[[str], None], dict]:
    """The changes_during_extract class: a progress callback for ``extract`` that, once
    ``after_table`` has been read, adds ``per_class`` contacts (new ids, dated A, of existing
    children) and deletes ``per_class`` contacts in W6, from another session, committed. The
    returned entry (filled when the change ran) names the added ids (``ids``: absent from a
    consistent snapshot), the deleted ones (``deleted``: present), and whether the CMS let the
    writer commit while the extract read (``outcome``: committed, or blocked by the reader's
    lock, as SQLite does without WAL).

    The writer is another process, as a CMS's writers are: SQLite's locks are POSIX locks, which
    never conflict within one process, so a writer in the extract's own process (the ADBC reader
    and pysqlite are two SQLite libraries) would not meet the reader's lock at all."""
    fc = _BY_NAME["changes_during_extract"]
    entry: dict = {
        "rule": fc.rule,
        "severity": fc.severity,
        "description": fc.description,
        "requested": per_class,
        "injected": 0,
        "ids": [],
        "deleted": [],
        "outcome": None,
    }

    def callback(message: str) -> None:
        if entry["outcome"] is not None or not message.strip().startswith(f"{after_table}:"):
            return
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            entry.update(pool.apply(_change_contacts, (url, as_at, per_class, seed)))

    return callback, entry


def _change_contacts(url: str, as_at: dt.date, per_class: int, seed: int) -> dict:
    """concurrent_change's writer (run in its own process): the entry's fields it fills."""
    engine = sa.create_engine(url, connect_args={"timeout": 1} if url.startswith("sqlite") else {})
    try:
        with engine.begin() as conn:
            ctx = _Ctx(conn, metadata(), Windows.for_date(as_at), seed)
            c = ctx.t("ssd_contacts")
            rows = _in_w6_rows(
                ctx,
                "ssd_contacts",
                "cont_contact_id",
                "cont_person_id",
                "cont_contact_date",
                "cont_contact_source_code",
            )
            gone = _pick(
                ctx,
                "changes_during_extract",
                [_Candidate(r[0], r[1], r) for r in rows],
                per_class,
            )
            new_ids = _new_ids(ctx, c.c.cont_contact_id, per_class)
            conn.execute(
                c.insert(),
                [
                    {
                        "cont_contact_id": i,
                        "cont_person_id": x.person_id,
                        "cont_contact_date": as_at,
                        "cont_contact_source_code": x.payload[3],
                    }
                    for i, x in zip(new_ids, gone, strict=False)
                ],
            )
            conn.execute(sa.delete(c).where(c.c.cont_contact_id.in_([x.record_id for x in gone])))
        return {
            "ids": sorted(new_ids[: len(gone)]),
            "deleted": sorted(x.record_id for x in gone),
            "injected": len(gone),
            "outcome": "committed",
        }
    except sa.exc.OperationalError:
        return {"outcome": "blocked"}
    finally:
        engine.dispose()


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
            # the non_utf8_text class leaves text later classes read
            dbapi_conn.text_factory = lambda raw: decode_legacy_text(raw, [0])

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
    "null_key": _null_key,
    "leading_zeros": _leading_zeros,
    "placeholder_text": _placeholder_text,
    "overlapping_cla_episodes": _overlapping_cla_episodes,
    "overlapping_placements": _overlapping_placements,
    "overlapping_cp_plans": _overlapping_cp_plans,
    "two_dobs": _two_dobs,
    "empty_table": _empty_table,
    "whitespace_code": _whitespace_code,
    "case_code": _case_code,
    "non_utf8_text": _non_utf8_text,
    "control_characters": _control_characters,
    "long_text": _long_text,
    "formula_text": _formula_text,
    "text_in_date": _text_in_date,
    "datetime_with_time": _datetime_with_time,
    "mixed_date_formats": _mixed_date_formats,
    "alias_column": _alias_column,
    "extra_column": _extra_column,
    "missing_table": _missing_table,
    "missing_column": _missing_column,
}


def inject(
    url: str, as_at: dt.date, *, per_class: int = 3, seed: int = 1, classes: list[str] | None = None
) -> dict[str, dict]:
    """Corrupt ``per_class`` records per fault class in the clean CMS at ``url``; returns the
    manifest ``{class: {"rule", "ids", "description", "requested", "injected"}}``.

    Classes run in the order of ``CLASSES`` whatever the order asked, so the result depends only
    on the CMS, ``as_at``, ``per_class``, ``seed`` and the set of classes. A class with fewer
    candidates than asked injects what it can (``injected`` < ``requested``); one with none raises
    ``FaultError`` and nothing is changed. By default every class of kind ``gate`` (one CMS
    holds them all); an ``extract`` class (missing_table, missing_column) stops the extract, so
    it is asked for alone.
    """
    wanted = list(GATE_CLASSES) if classes is None else list(classes)
    known = set(_INJECTORS)
    unknown = sorted(set(wanted) - known)
    if unknown:
        raise FaultError(
            f"unknown fault class(es): {', '.join(unknown)} (known: {', '.join(sorted(known))}; "
            "changes_during_extract runs through concurrent_change)"
        )
    if per_class < 1:
        raise FaultError(f"per_class must be at least 1: {per_class}")
    engine = _engine(url)
    if classes is None and engine.dialect.name != "sqlite":
        wanted.remove("non_utf8_text")  # only SQLite can hold text that is not UTF-8
    manifest: dict[str, dict] = {}
    try:
        with engine.begin() as conn:
            ctx = _Ctx(conn, metadata(), Windows.for_date(as_at), seed)
            for name in CLASSES:
                if name not in wanted:
                    continue
                ids = list(dict.fromkeys(_INJECTORS[name](ctx, per_class)))
                fc = _BY_NAME[name]
                if not ids:
                    raise FaultError(
                        f"fault class {name}: no record qualifies in this CMS as at "
                        f"{as_at.isoformat()}; nothing was changed"
                    )
                manifest[name] = {
                    "kind": fc.kind,
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
    """Write the manifest as JSON through the project's owner-only writer (0600, atomic
    replace); returns the path."""
    return write_json(Path(path), manifest, indent=2, sort_keys=True)
