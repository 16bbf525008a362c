"""The validation gate (issue 4): every rule on the built lists, the source tables and across
lists; severities and waivers; the summary (counts and ids) and the worklist (one row per
failing record, for team managers).

* List and source suites are the generated Great Expectations suites in ``expectations/``
  (``annexa.validate.suites``), run by GX on the list Parquet files and the source check frames.
* Cross-list rules are SQL in ``sql/cross/`` (a single table cannot see them), run in the build
  on the lists' connection; the gate reads their failing rows from the build's files, and their
  severity and wording from ``sql/manifest.yaml`` (docs/validation.md).
* Unmapped CMS values (``annexa.transform.unmapped``) are warnings (decision P9).
* A waiver accepts named failing records of one rule, with a reason, an owner and an expiry
  date; an expired waiver stops applying by itself (``annexa.validate.waivers``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from annexa import reference
from annexa.core.dates import Windows, age_at
from annexa.core.registry import queries
from annexa.validate.findings import RuleResult, WorkItem
from annexa.validate.forked import fork_map, processes_from_env
from annexa.validate.gx_runner import GXRunner, SuiteRun
from annexa.validate.suites import ID_COLUMN, list_suite_name, load_suite, resolve
from annexa.validate.waivers import Waiver, apply_waivers

SAMPLE = 20
# columns whose value the worklist never repeats: a child's date of birth is personal data, and
# the worklist carries ids, team and worker (issue 14.4); the record id says where to look
WITHHELD = frozenset({"date_of_birth", "pers_dob", "pers_expected_dob"})


@dataclass(frozen=True)
class GateInputs:
    lists: dict[int, Path]
    checks: dict[str, Path]  # source table -> check frame
    windows: Windows
    version: str
    extracted_on: dt.date
    placeholders: list[str]
    placeholder_before: dt.date
    unmapped: list[dict]
    waivers: list[Waiver]
    today: dt.date
    renderings_2019: tuple[dict, ...] = ()
    cross: dict[str, Path] = field(default_factory=dict)  # cross rule -> its failing rows
    source_rows: dict[str, int] = field(default_factory=dict)  # SSD table -> rows extracted
    published_rows: dict[str, int] = field(default_factory=dict)  # ... behind `latest`


def expected_age(dob: dt.date | None, basis: str | None, at: dt.date) -> int | None:
    """The age a list row must show (annex_a §3.7): -1 for a child unborn at A, whatever the
    date shown (D5: the expected date, which may be on or before A when the child was born
    after it: a month end rebuilt from a later snapshot), else the completed years from the
    date of birth to A (D4: ``core.dates.age_at``, mirrored by the ``age_at`` SQL macro). The
    build decides once whether a child is unborn (``int_person__child_columns``: its
    ``_dob_basis``); this check does not re-decide it from the shown date."""
    if basis == "unborn":
        return -1
    if dob is None or pd.isna(dob):
        return None
    return age_at(dob, at)


def _day_numbers(col: pa.ChunkedArray) -> pd.Series:
    """A Parquet date column as ``suites.day_number``s (days since 1970-01-01: Arrow's own
    date32 value), nullable Int64."""
    return col.cast(pa.int32()).to_pandas(types_mapper={pa.int32(): pd.Int64Dtype()}.get)


def _ages_from_dob(dob: pa.ChunkedArray, basis: pd.Series, at: dt.date) -> pd.Series:
    """``expected_age`` of every row, vectorised over the Parquet date column (the same D4/D5
    arithmetic: -1 where the build says unborn, else the completed years at A, a birthday on A
    counting, 29 February reached on 1 March; none without a date)."""
    month, day = pc.month(dob), pc.day(dob)
    before = pc.or_(
        pc.less(pa.scalar(at.month), month),
        pc.and_(pc.equal(month, at.month), pc.less(pa.scalar(at.day), day)),
    )
    ages = pc.subtract(pc.subtract(at.year, pc.year(dob)), pc.cast(before, pa.int64()))
    out = ages.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    out[(basis == "unborn").to_numpy(dtype=bool, na_value=False)] = -1
    return out


def _list_frame(path: Path, number: int, version: str, at: dt.date) -> pd.DataFrame:
    df = pd.read_parquet(path)
    dates = [c.key for c in reference.list_spec(number, "later").columns if c.type == "date"]
    arrow = pq.read_table(path, columns=[c for c in dates if c in df])  # dates as date32
    if "date_of_birth" in df and "age" in df:
        df["_age_from_dob"] = _ages_from_dob(arrow["date_of_birth"], df["_dob_basis"], at)
    for key in arrow.column_names:
        df[key] = _day_numbers(arrow[key])
    return df


def _expectations(suite: dict, g: GateInputs, columns: list[str] | None = None) -> list[dict]:
    out = []
    for e in suite["expectations"]:
        kwargs = resolve(
            e["kwargs"],
            version=g.version,
            windows=g.windows,
            extracted_on=g.extracted_on,
            placeholders=g.placeholders,
            placeholder_before=g.placeholder_before,
        )
        if "column_list" in kwargs and kwargs["column_list"] is None:
            kwargs["column_list"] = columns
        out.append({"type": e["type"], "kwargs": kwargs, "meta": e.get("meta", {})})
    return out


def _published_keys(number: int, version: str) -> list[str]:
    return reference.list_spec(number, version).keys


def _value_text(v, is_date: bool) -> str | None:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if is_date:
        return (dt.date(1970, 1, 1) + dt.timedelta(days=int(v))).isoformat()
    return str(v)


def _rows_by_id(df: pd.DataFrame, key: str, run: SuiteRun, read: set[str]) -> dict:
    """The first row of each failing record id, as a dict by id (only those rows: a source
    frame at the largest county has a million rows and a handful of failing ones), holding
    the key and whichever of the columns ``read`` the frame has (what the work items read)."""
    failing = {rid for ids in run.failing_ids.values() for rid in ids}
    rows = df[df[key].isin(failing)] if failing else df.iloc[:0]
    columns = [c for c in df.columns if c == key or c in read]
    return {r[key]: r for r in rows[columns].drop_duplicates(key).to_dict("records")}


def _failing_columns(run: SuiteRun) -> set[str]:
    """The columns of the rules with failing records."""
    return {r.column for r in run.results if r.column and run.failing_ids.get(r.id)}


def _list_items(run: SuiteRun, df: pd.DataFrame, number: int) -> list[WorkItem]:
    read = {"child_unique_id", "allocated_team", "allocated_worker"} | _failing_columns(run)
    by_id = _rows_by_id(df, ID_COLUMN, run, read)
    dates = {c.key for c in reference.list_spec(number, "later").columns if c.type == "date"}
    items = []
    for r in run.results:
        for rid in dict.fromkeys(run.failing_ids.get(r.id, [])):
            row = by_id.get(rid)
            col = r.column if r.column and row is not None and r.column in row else None
            col = None if col in WITHHELD else col
            items.append(
                WorkItem(
                    rule=r.id,
                    severity=r.severity,
                    target=r.target,
                    column=r.column,
                    record_id=rid,
                    child_id=None
                    if row is None
                    else _value_text(row.get("child_unique_id"), False),
                    value=None
                    if row is None or col is None
                    else _value_text(row[col], col in dates),
                    team=None if row is None else _value_text(row.get("allocated_team"), False),
                    worker=None if row is None else _value_text(row.get("allocated_worker"), False),
                    description=r.description,
                )
            )
    return items


def _source_items(run: SuiteRun, df: pd.DataFrame, key: str) -> list[WorkItem]:
    failing = _failing_columns(run)
    by_id = _rows_by_id(df, key, run, {"_child_id"} | failing | {f"_text__{c}" for c in failing})
    items = []
    for r in run.results:
        for rid in dict.fromkeys(run.failing_ids.get(r.id, [])):
            row = by_id.get(rid)
            value = None
            if row is not None and r.column and r.column not in WITHHELD:
                if f"_text__{r.column}" in row:
                    value = _value_text(row[f"_text__{r.column}"], False)
                elif r.column in row and r.column != key:
                    value = _value_text(
                        row[r.column],
                        pd.api.types.is_integer_dtype(df[r.column])
                        and r.family in ("placeholder_value", "future_date"),
                    )
                else:
                    value = rid
            items.append(
                WorkItem(
                    rule=r.id,
                    severity=r.severity,
                    target=r.target,
                    column=r.column,
                    record_id=rid,
                    child_id=None if row is None else _value_text(row.get("_child_id"), False),
                    value=value,
                    team=None,
                    worker=None,
                    description=r.description,
                )
            )
    return items


def _cross(g: GateInputs) -> tuple[list[RuleResult], list[WorkItem]]:
    """Every registered cross-list rule, from the failing rows the build wrote."""
    results, items = [], []
    for rule in queries("cross"):
        if rule.name not in g.cross:
            raise ValueError(f"the build wrote no failing rows for cross rule {rule.name}")
        # the registry refuses a cross rule without severity and description
        severity, description = str(rule.severity), str(rule.description)
        rows = pq.read_table(g.cross[rule.name]).to_pylist()
        rid = f"cross:{rule.name}"
        ids = [str(r["record_id"]) for r in rows]
        results.append(
            RuleResult(
                id=rid,
                target="cross",
                family=rule.name,
                column=None,
                severity=severity,
                description=description,
                success=not rows,
                unexpected_count=len(rows),
                sample_ids=ids[:SAMPLE],
            )
        )
        items += [
            WorkItem(
                rule=rid,
                severity=severity,
                target="cross",
                column=r["column_name"],
                record_id=str(r["record_id"]),
                child_id=r["child_id"],
                value=r["value"],
                team=None,
                worker=None,
                description=description,
            )
            for r in rows
        ]
    return results, items


def _unmapped_results(unmapped: list[dict]) -> list[RuleResult]:
    by_field: dict[str, list[dict]] = {}
    for u in unmapped:
        by_field.setdefault(u["field"], []).append(u)
    out = []
    for field_name, values in sorted(by_field.items()):
        table, column = field_name.split(".")
        out.append(
            RuleResult(
                id=f"{table}:unmapped_code:{column}",
                target=table,
                family="unmapped_code",
                column=column,
                severity="warning",
                description=f"{len(values)} CMS value(s) of {field_name} have no mapping to a code "
                "(see the unmapped values section)",
                success=False,
                unexpected_count=sum(int(v["rows"]) for v in values),
            )
        )
    return out


def _rendering_results(renderings: tuple[dict, ...]) -> list[RuleResult]:
    """annex_a §7, D11, D12: under 2019 a later-only code is written as an older one (or the
    record is left out), each reported as a warning with a count."""
    out = []
    for r in renderings:
        table, column = r["field"].split(".")
        out.append(
            RuleResult(
                id=f"{table}:rendered_2019:{column}:{r['code']}",
                target=table,
                family="rendered_2019",
                column=column,
                severity="warning",
                description=f"under the 2019 revision, code {r['code']} is written as "
                f"'{r['written_as']}'",
                success=False,
                unexpected_count=int(r["rows"]),
            )
        )
    return out


def _emptied(g: GateInputs) -> tuple[list[RuleResult], list[WorkItem]]:
    """A table that is empty now but held rows behind the last published return: a failed load
    (an SSD refresh truncated it and did not reload), never a quiet month. The record is the
    table. With nothing published yet there is nothing to compare."""
    results, items = [], []
    for table in sorted(g.source_rows):
        if g.source_rows[table] or not g.published_rows.get(table):
            continue
        description = (
            f"{table} holds rows (it held {g.published_rows[table]:,} behind the published "
            "return: an empty table is a failed load)"
        )
        rid = f"{table}:not_empty"
        results.append(
            RuleResult(
                id=rid,
                target=table,
                family="not_empty",
                column=None,
                severity="error",
                description=description,
                success=False,
                unexpected_count=1,
                sample_ids=[table],
            )
        )
        items.append(
            WorkItem(
                rule=rid,
                severity="error",
                target=table,
                column=None,
                record_id=table,
                child_id=None,
                value="0 rows",
                team=None,
                worker=None,
                description=description,
            )
        )
    return results, items


class GateSession:
    """What the gate keeps between the as-at dates of one backfill: one GX context, and each
    source table's suite results. A source check frame and its resolved expectations are the
    same at every as-at date of one snapshot (the check frames read no as-at parameter, the
    source suites only the extraction date), so GX runs each source suite once and the other
    month ends take copies of its results. The key is the frame's file (path, size, mtime) and
    the resolved expectations: anything that differs is run again.

    ``processes``: the suites are shared between this process and a forked copy of it when 2
    (``annexa.validate.forked``; default ``ANNEXA_GATE_PROCESSES``, else 1). The results, and
    so the outputs, are the same either way."""

    def __init__(self, processes: int | None = None) -> None:
        self._gx: GXRunner | None = None
        self._sources: dict[str, tuple[list[RuleResult], list[WorkItem]]] = {}
        self.processes = processes_from_env() if processes is None else processes

    @property
    def gx(self) -> GXRunner:
        if self._gx is None:
            self._gx = GXRunner()
        return self._gx

    @staticmethod
    def _source_key(table: str, path: Path, expectations: list[dict], key: str) -> str:
        st = Path(path).stat()
        return json.dumps(
            [table, str(path), st.st_size, st.st_mtime_ns, key, expectations],
            sort_keys=True,
            default=str,
        )

    def _run_source(
        self, table: str, path: Path, expectations: list[dict], key: str
    ) -> tuple[list[RuleResult], list[WorkItem]]:
        df = pd.read_parquet(path)
        run = self.gx.run(table, df, expectations, key)
        return run.results, _source_items(run, df, key)

    def source(
        self, table: str, path: Path, expectations: list[dict], key: str
    ) -> tuple[list[RuleResult], list[WorkItem]]:
        """The source table's results and work items (fresh copies: waivers mark them)."""
        cache = self._source_key(table, path, expectations, key)
        if cache not in self._sources:
            self._sources[cache] = self._run_source(table, path, expectations, key)
        results, items = self._sources[cache]
        return [replace(r) for r in results], [replace(i) for i in items]

    def run_suites(self, g: GateInputs) -> list[tuple[list[RuleResult], list[WorkItem]]]:
        """Every list suite, then every source suite (each table's results from the session
        when it has them), in the inputs' order; the suites GX has to run are shared between
        ``processes`` processes, largest frame first."""
        from annexa.source.contract import TABLES_BY_NAME

        gx = self.gx  # built before any fork: the copy starts with it
        jobs: list[tuple[float, Callable[[], tuple[list[RuleResult], list[WorkItem]]]]] = []
        for number in sorted(g.lists):
            jobs.append((_size(g.lists[number]), partial(_list_suite, g, number, gx)))
        sources = []
        for table, path in sorted(g.checks.items()):
            args = (table, path, _expectations(load_suite(table), g), TABLES_BY_NAME[table].key)
            cache = self._source_key(*args)
            sources.append((cache, args))
            if cache not in self._sources:
                jobs.append((_size(path), partial(self._run_source, *args)))
        done = fork_map(jobs, self.processes)
        lists, ran = done[: len(g.lists)], iter(done[len(g.lists) :])
        for cache, _ in sources:
            if cache not in self._sources:
                self._sources[cache] = next(ran)
        return lists + [self.source(*args) for _, args in sources]


def _size(path: Path) -> float:
    """A frame's cost, for sharing the suites out: its Parquet file's size."""
    return float(Path(path).stat().st_size)


def _list_suite(
    g: GateInputs, number: int, gx: GXRunner
) -> tuple[list[RuleResult], list[WorkItem]]:
    """One list's suite run by GX, and its work items."""
    name = list_suite_name(number)
    df = _list_frame(g.lists[number], number, g.version, g.windows.as_at)
    hidden = [c for c in df.columns if c.startswith("_")]
    columns = _published_keys(number, "later") + hidden
    run = gx.run(name, df, _expectations(load_suite(name), g, columns), ID_COLUMN)
    return run.results, _list_items(run, df, number)


def run_gate(g: GateInputs, session: GateSession | None = None) -> tuple[dict, list[WorkItem]]:
    """Run every rule; returns the summary (JSON-able, counts and ids only) and the worklist.
    ``session``: shared by the month ends of one backfill (``GateSession``)."""
    session = session or GateSession()
    results: list[RuleResult] = []
    items: list[WorkItem] = []
    for found, worked in session.run_suites(g):
        results += found
        items += worked
    cross_results, cross_items = _cross(g)
    results += cross_results
    items += cross_items
    emptied, emptied_items = _emptied(g)
    results += emptied
    items += emptied_items
    results += _unmapped_results(g.unmapped)
    results += _rendering_results(tuple(g.renderings_2019))
    applied = apply_waivers(results, items, g.waivers, g.today)
    summary = {
        "errors": sum(1 for r in results if r.blocking),
        "warnings": sum(1 for r in results if not r.success and r.severity == "warning"),
        "waived_records": sum(r.waived_count for r in results),
        "rules": [r.to_dict() for r in results],
        "waivers_applied": applied,
        "unmapped": g.unmapped,
    }
    return summary, items
