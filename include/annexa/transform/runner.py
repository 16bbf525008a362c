"""The one SQL runner: every registered query, on one DuckDB connection over one snapshot.

Why DuckDB: one SQL dialect, no server, fast on two cores, reads Parquet directly. What runs, and
in which order, is the registry's (``sql/manifest.yaml``, ``annexa.core.registry``): staging,
intermediate and list models materialised as tables; the check frames and the cross-list rules'
failing rows written to Parquet for the gate; the indicators' and drill-downs' rows kept for the
pack. They all run here, on the connection that holds the snapshot and the lists, so the gate and
the pack read files and never open the snapshot again. Values reach the SQL only as data: the run
parameters sit in a one-row table read by macros (``as_at()``, ``w6_start()`` ...) and codes come
from reference tables, so no value is ever formatted into SQL text. Identifiers (table names) come
only from the contract and the registry.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from annexa import reference
from annexa.core.calendar import calendar_table
from annexa.core.dates import Windows
from annexa.core.files import private_dir, private_file, seal
from annexa.core.paths import sql_dir
from annexa.core.registry import Query, as_at_dependent, list_number, manifest, queries
from annexa.source.contract import TABLES
from annexa.source.extract import ExtractError, read_manifest
from annexa.transform.mapping import Mapping, code_map_table
from annexa.transform.unmapped import Unmapped, find_2019_renderings, find_unmapped

log = logging.getLogger(__name__)

VERSIONS = ("later", "2019")
# the columns an indicator's one row has (sql/indicators/, spec indicators.md)
INDICATOR_COLUMNS = (
    "indicator_id",
    "numerator",
    "denominator",
    "value",
    "period_start",
    "period_end",
)


@dataclass
class BuildResult:
    work_dir: Path
    lists: dict[int, Path] = field(default_factory=dict)
    row_counts: dict[int, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)
    checks: dict[str, str] = field(default_factory=dict)  # source table -> check frame
    cross: dict[str, str] = field(default_factory=dict)  # cross rule -> its failing rows
    renderings_2019: list[dict] = field(default_factory=list)  # later-only codes under 2019
    pack_inputs: dict[str, str] = field(default_factory=dict)  # name -> JSON file for the pack
    pack_error: str | None = None
    # the pack's rows (child-level): kept in memory for the pack's inputs, never in to_dict()
    # (None: not run, as with only_lists)
    indicator_rows: list[dict] | None = field(default=None, repr=False)
    drilldowns: list[dict] | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        return {
            "work_dir": str(self.work_dir),
            "lists": {str(k): str(v) for k, v in self.lists.items()},
            "row_counts": {str(k): v for k, v in self.row_counts.items()},
            "seconds": self.seconds,
            "unmapped": [u.to_dict() for u in self.unmapped],
            "checks": self.checks,
            "cross": self.cross,
            "renderings_2019": self.renderings_2019,
            "pack_inputs": self.pack_inputs,
            "pack_error": self.pack_error,
        }


class IndicatorError(RuntimeError):
    """An indicator's SQL failed or broke the one-row contract."""


class DrilldownError(RuntimeError):
    """A drill-down's SQL failed."""


def _annex_code_table() -> pa.Table:
    rows = []
    for list_id, cl in reference.code_lists().items():
        for code in cl.codes:
            for version in VERSIONS:
                s = reference.render(list_id, code.national, version)
                rows.append((list_id, code.national, version, s))
    return pa.table(
        {
            "code_list": [r[0] for r in rows],
            "national": [r[1] for r in rows],
            "version": [r[2] for r in rows],
            "string": [r[3] for r in rows],
        }
    )


def _postcode_table() -> pa.Table:
    path = reference.reference_dir() / "postcodes.csv"
    cols: dict[str, list[str]] = {"postcode": [], "la_code": [], "la_name": [], "country": []}
    if path.is_file():
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                pc = " ".join(row["postcode"].upper().split())
                cols["postcode"].append(pc.replace(" ", ""))
                for k in ("la_code", "la_name", "country"):
                    cols[k].append(row[k])
    return pa.table(cols, schema=pa.schema([(k, pa.string()) for k in cols]))


def _permanence_key_table() -> pa.Table:
    keys = reference.permanence_keys()
    rank = {code: i + 1 for i, code in enumerate(reference.permanence_precedence())}
    return pa.table(
        {
            "json_key": [k.upper() for k in keys],
            "code": list(keys.values()),
            "precedence": [rank[c] for c in keys.values()],
        },
        schema=pa.schema(
            [("json_key", pa.string()), ("code", pa.string()), ("precedence", pa.int32())]
        ),
    )


def connect(work_dir: Path, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"set threads = {int(os.environ.get('ANNEXA_DUCKDB_THREADS', '2'))}")
    con.execute(
        "set memory_limit = ?", [memory_limit or os.environ.get("ANNEXA_DUCKDB_MEMORY", "1GB")]
    )
    tmp = private_dir(work_dir / "duckdb_tmp")
    con.execute("set temp_directory = ?", [str(tmp)])
    con.execute("set preserve_insertion_order = false")
    return con


def register_snapshot(con: duckdb.DuckDBPyConnection, snapshot: Path) -> None:
    """Expose each snapshot table as ``raw_<table>``: a view over its Parquet parts, read by
    DuckDB's own reader (about twice as fast as scanning a registered pyarrow dataset). The
    extract writes at least one part, with the schema, even for an empty table."""
    for t in TABLES:
        parts = sorted(str(p) for p in (Path(snapshot) / t.name).glob("part-*.parquet"))
        if not parts:
            raise FileNotFoundError(f"snapshot {snapshot} has no Parquet part for {t.name}")
        files = ", ".join("'" + p.replace("'", "''") + "'" for p in parts)
        con.execute(f"create or replace view raw_{t.name} as select * from read_parquet([{files}])")
    # the records whose dates did not parse at extraction (the check frames' _parses__<col>)
    con.execute(
        "create or replace table raw_unparseable_dates (tbl varchar, col varchar, id varchar)"
    )
    try:
        tables = read_manifest(Path(snapshot))["tables"]
    except ExtractError:  # a hand-made snapshot (tests): no extraction facts
        tables = {}
    rows = [
        (table, col, str(i))
        for table, info in tables.items()
        for col, ids in (info.get("unparseable_ids") or {}).items()
        for i in ids
    ]
    if rows:
        con.executemany("insert into raw_unparseable_dates values (?, ?, ?)", rows)


def register_reference(
    con: duckdb.DuckDBPyConnection,
    windows: Windows,
    *,
    la_code: str,
    la_name: str,
    version: str,
    mapping: Mapping,
) -> None:
    if version not in VERSIONS:
        raise ValueError(f"annex version must be one of {', '.join(VERSIONS)}: {version!r}")
    params = pa.table(
        {
            "as_at": pa.array([windows.as_at], pa.date32()),
            "w6_start": pa.array([windows.w6_start], pa.date32()),
            "w12_start": pa.array([windows.w12_start], pa.date32()),
            "la_code": [la_code],
            "la_name": [la_name],
            "annex_version": [version],
            "child_id_field": [mapping.person_id],
            "placeholder_date_before": pa.array([mapping.date_before], pa.date32()),
        }
    )
    tables = {
        "run_params": params,
        "ref_code_map": code_map_table(mapping),
        "ref_annex_code": _annex_code_table(),
        "ref_calendar": calendar_table(),
        "ref_postcode": _postcode_table(),
        "ref_placeholder_text": pa.table({"value": [v.lower() for v in mapping.placeholder_text]}),
        "ref_worker_kind": pa.table(
            {"field": list(mapping.workers), "kind": list(mapping.workers.values())},
            schema=pa.schema([("field", pa.string()), ("kind", pa.string())]),
        ),
        "ref_special_placement": pa.table(
            {
                "placement_id": mapping.confidential_placements + mapping.outside_uk_placements,
                "kind": ["CON"] * len(mapping.confidential_placements)
                + ["NUK"] * len(mapping.outside_uk_placements),
            },
            schema=pa.schema([("placement_id", pa.string()), ("kind", pa.string())]),
        ),
        # care-plan JSON key -> CS-PERM code and its D22 rank (1 = first); chosen flag values
        "ref_permanence_key": _permanence_key_table(),
        "ref_permanence_chosen": pa.table(
            {"value": [v.upper() for v in reference.permanence_chosen_values()]},
            schema=pa.schema([("value", pa.string())]),
        ),
        "ref_organisation": pa.table(
            {
                "code": list(mapping.organisation_names),
                "name": list(mapping.organisation_names.values()),
            },
            schema=pa.schema([("code", pa.string()), ("name", pa.string())]),
        ),
    }
    for name, tbl in tables.items():
        con.register(f"_arrow_{name}", tbl)
        con.execute(f"create or replace table {name} as select * from _arrow_{name}")
        con.unregister(f"_arrow_{name}")
    con.execute((sql_dir() / "macros.sql").read_text())


def run_models(
    con: duckdb.DuckDBPyConnection,
    *,
    progress: Callable[[str], None] | None = None,
    only_lists: set[int] | None = None,
    which: Callable[[Query], bool] | None = None,
) -> dict[str, float]:
    """Create every staging, intermediate and list model in order (with ``which``, only the
    models it accepts); returns seconds per model."""
    timings: dict[str, float] = {}
    for layer in ("staging", "intermediate", "annex_a"):
        for q in queries(layer):
            if layer == "annex_a" and only_lists and list_number(q.name) not in only_lists:
                continue
            if which is not None and not which(q):
                continue
            t0 = time.time()
            try:
                con.execute(f"create or replace table {q.name} as\n{q.sql()}")
            except duckdb.Error as exc:
                raise RuntimeError(f"SQL model {layer}/{q.name}.sql failed: {exc}") from exc
            timings[q.name] = round(time.time() - t0, 3)
            if progress and layer == "annex_a":
                progress(f"  built {q.name} in {timings[q.name]:.2f}s")
    return timings


def run_layer(
    con: duckdb.DuckDBPyConnection, layer: str, *, progress: Callable[[str], None] | None = None
) -> dict[str, float]:
    """Create every query of one further registry layer (``returns``) as a table, in order, on a
    connection where ``run_models`` has made the layers it reads; returns seconds per query."""
    timings: dict[str, float] = {}
    for q in queries(layer):
        t0 = time.time()
        try:
            con.execute(f"create or replace table {q.name} as\n{q.sql()}")
        except duckdb.Error as exc:
            raise RuntimeError(f"SQL model {layer}/{q.name}.sql failed: {exc}") from exc
        timings[q.name] = round(time.time() - t0, 3)
        if progress:
            progress(f"  built {q.name} in {timings[q.name]:.2f}s")
    return timings


def _export(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> int:
    """Stream a table to Parquet (owner-only); returns its row count."""
    reader = con.sql(f"select * from {name}").to_arrow_reader(50_000)
    rows = 0
    with private_file(path, "wb") as f, pq.ParquetWriter(f, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


# the gate's frames (check frames, cross rules' rows): read once, by the gate, so written
# without dictionary pages: ~30% less writing CPU for the same rows and about the same size
# (snappy), and pandas reads them as fast (issue 10)
FRAME_PARQUET = "format parquet, dictionary_size_limit 0"


def _copy(con: duckdb.DuckDBPyConnection, q: Query, path: Path) -> str:
    """DuckDB's own (parallel) writer, straight from the query; the file is made owner-only as
    soon as it exists (its folder is owner-only already)."""
    lit = str(path).replace("'", "''")
    try:
        con.execute(f"copy (\n{q.sql()}\n) to '{lit}' ({FRAME_PARQUET})")
    except duckdb.Error as exc:
        raise RuntimeError(f"SQL {q.layer}/{q.name}.sql failed: {exc}") from exc
    seal(path)
    return str(path)


def write_check_frames(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, str]:
    """The checks layer: its helpers as temporary tables, then ``<folder>/<table>.parquet`` for
    every SSD table's frame; returns table -> path."""
    folder = private_dir(folder)
    out = {}
    for q in queries("checks"):
        if q.meta.get("helper"):
            con.execute(f"create or replace temp table {q.name} as\n{q.sql()}")
        else:
            out[q.name] = _copy(con, q, folder / f"{q.name}.parquet")
    return out


def run_cross_rules(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, str]:
    """The cross layer: each rule's failing rows (record_id, child_id, column_name, value) as
    ``<folder>/<rule>.parquet``, for the gate; returns rule -> path."""
    folder = private_dir(folder)
    return {q.name: _copy(con, q, folder / f"{q.name}.parquet") for q in queries("cross")}


def run_indicator(con: duckdb.DuckDBPyConnection, path: Path) -> dict:
    """Run one indicator file; returns its single row as a dict of INDICATOR_COLUMNS."""
    try:
        rel = con.sql(path.read_text())
        cols = tuple(rel.columns)
        rows = rel.fetchall()
    except duckdb.Error as exc:
        raise IndicatorError(f"indicator {path.name} failed: {exc}") from exc
    if cols != INDICATOR_COLUMNS:
        raise IndicatorError(
            f"indicator {path.name} returns columns {cols}, expected {INDICATOR_COLUMNS}"
        )
    if len(rows) != 1:
        raise IndicatorError(f"indicator {path.name} returns {len(rows)} rows, expected 1")
    row = dict(zip(INDICATOR_COLUMNS, rows[0], strict=True))
    if row["indicator_id"] is None or path.stem != str(row["indicator_id"]).lower():
        raise IndicatorError(f"indicator {path.name} returns id {row['indicator_id']!r}")
    for k in ("numerator", "denominator", "value"):
        if row[k] is not None:
            row[k] = float(row[k])
    return row


def run_indicators(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The indicators layer: one row per registered indicator, in registry order."""
    return [run_indicator(con, q.path) for q in queries("indicators")]


def _cell(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def run_drilldown(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[list[str], list[list]]:
    """Run one drill-down file; returns (column names, rows with JSON-friendly cells)."""
    try:
        rel = con.sql(path.read_text())
        columns = list(rel.columns)
        rows = [[_cell(v) for v in r] for r in rel.fetchall()]
    except duckdb.Error as exc:
        raise DrilldownError(f"drill-down {path.name} failed: {exc}") from exc
    return columns, rows


def run_drilldowns(
    con: duckdb.DuckDBPyConnection, source: str | None = None, limit: int = 50
) -> list[dict]:
    """The drilldowns layer, in registry order, in the shape the pack renders:
    ``{"id", "title", "question", "note", "columns", "rows"}``; ``source``/``limit`` are the
    DuckDB variables DD09 reads."""
    con.execute("set variable drill_source = ?", [source])
    con.execute("set variable drill_limit = ?", [int(limit)])
    try:
        out: list[dict[str, Any]] = []
        for q in queries("drilldowns"):
            columns, rows = run_drilldown(con, q.path)
            out.append(
                {
                    "id": q.meta["id"],
                    "title": q.meta["title"],
                    "question": q.meta["question"],
                    "note": q.meta["note"],
                    "columns": columns,
                    "rows": rows,
                }
            )
        return out
    finally:
        con.execute("reset variable drill_source")
        con.execute("reset variable drill_limit")


class SnapshotBuild:
    """One DuckDB connection over one snapshot, for one as-at date or several (a backfill).

    Opening it builds what gives the same rows at every as-at date of the snapshot
    (``annexa.core.registry.as_at_dependent``: the staging models, the intermediate models that
    read no as-at parameter, the source check frames, the unmapped values); ``month`` then sets
    the run parameters to one as-at date and builds the rest (the as-at models, the lists, the
    cross rules' failing rows, the pack's rows). A month end built here is the month end
    ``build`` makes alone: the same queries on the same snapshot, in the same order.
    """

    def __init__(
        self,
        snapshot: Path,
        work_dir: Path,
        windows: Windows,
        *,
        la_code: str,
        la_name: str = "",
        version: str = "later",
        mapping: Mapping | None = None,
        only_lists: set[int] | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        """``work_dir``: where the shared check frames (``checks/``) and DuckDB's spill files
        go (a single build's own work folder; a backfill's first month's)."""
        self.work_dir = private_dir(Path(work_dir))
        self.la_code, self.la_name, self.version = la_code, la_name, version
        self.mapping = mapping or Mapping()
        self.only_lists, self.progress = only_lists, progress
        self.dependent = as_at_dependent()
        t0 = time.time()
        self.con = connect(self.work_dir)
        try:
            register_snapshot(self.con, snapshot)
            self._parameters(windows)
            shared = self.dependent.isdisjoint(q.name for q in queries("checks"))
            self.seconds = run_models(
                self.con, progress=progress, only_lists=only_lists, which=self._shared
            )
            t1 = time.time()
            self.unmapped = find_unmapped(self.con)
            self.renderings_2019 = find_2019_renderings(self.con, version)
            self.seconds["unmapped_check"] = round(time.time() - t1, 3)
            self.checks: dict[str, str] | None = None
            if shared:  # no check frame reads an as-at parameter: written once
                t2 = time.time()
                self.checks = write_check_frames(self.con, self.work_dir / "checks")
                self.seconds["check_frames"] = round(time.time() - t2, 3)
        except BaseException:
            self.con.close()
            raise
        self.seconds["shared"] = round(time.time() - t0, 3)

    def _shared(self, q: Query) -> bool:
        return q.layer != "annex_a" and q.name not in self.dependent

    def _parameters(self, windows: Windows) -> None:
        register_reference(
            self.con,
            windows,
            la_code=self.la_code,
            la_name=self.la_name,
            version=self.version,
            mapping=self.mapping,
        )

    def month(self, work_dir: Path, windows: Windows) -> BuildResult:
        """Build one as-at date: the lists land as ``lists/list_<n>.parquet`` in ``work_dir``,
        the cross rules' failing rows in ``cross/``; the check frames are the shared ones
        (``checks/`` of the folder the build was opened on) unless one reads the as-at date."""
        work_dir = private_dir(Path(work_dir))
        lists_dir = private_dir(work_dir / "lists")
        result = BuildResult(work_dir)
        t0 = time.time()
        con, only_lists = self.con, self.only_lists
        self._parameters(windows)
        result.seconds = dict(self.seconds) | run_models(
            con,
            progress=self.progress,
            only_lists=only_lists,
            which=lambda q: not self._shared(q),
        )
        for name in manifest()["annex_a"]:
            n = list_number(name)
            if only_lists and n not in only_lists:
                continue
            path = lists_dir / f"list_{n}.parquet"
            result.row_counts[n] = _export(con, name, path)
            result.lists[n] = path
        result.unmapped = list(self.unmapped)
        result.renderings_2019 = list(self.renderings_2019)
        if self.checks is None:
            t2 = time.time()
            result.checks = write_check_frames(con, work_dir / "checks")
            result.seconds["check_frames"] = round(time.time() - t2, 3)
        else:
            result.checks = dict(self.checks)
        if not only_lists:
            t3 = time.time()
            result.cross = run_cross_rules(con, work_dir / "cross")
            result.seconds["cross_rules"] = round(time.time() - t3, 3)
            t4 = time.time()
            try:  # the pack must not stop a return: a failure is recorded, never raised
                result.indicator_rows = run_indicators(con)
                result.drilldowns = run_drilldowns(con)
            except Exception as exc:  # noqa: BLE001 - reported in the build result and manifest
                log.error("intelligence pack queries failed: %s", type(exc).__name__)
                result.pack_error = f"{type(exc).__name__}: {exc}"[:500]
            result.seconds["pack_inputs"] = round(time.time() - t4, 3)
        result.seconds["month"] = round(time.time() - t0, 3)
        result.seconds["total"] = round(self.seconds["shared"] + time.time() - t0, 3)
        return result

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> SnapshotBuild:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build(
    snapshot: Path,
    work_dir: Path,
    windows: Windows,
    *,
    la_code: str,
    la_name: str = "",
    version: str = "later",
    mapping: Mapping | None = None,
    only_lists: set[int] | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Run every registered query over a snapshot for one as-at date (``SnapshotBuild``): the
    lists land as ``lists/list_<n>.parquet``, the check frames in ``checks/``, the cross rules'
    failing rows in ``cross/``; the pack's indicator and drill-down rows stay on the result
    (``annexa.pack.inputs`` writes them). With ``only_lists`` (golden tests) just those lists
    are built, and the cross rules and the pack's queries, which read every list, are not run."""
    with SnapshotBuild(
        snapshot,
        work_dir,
        windows,
        la_code=la_code,
        la_name=la_name,
        version=version,
        mapping=mapping,
        only_lists=only_lists,
        progress=progress,
    ) as b:
        return b.month(work_dir, windows)
