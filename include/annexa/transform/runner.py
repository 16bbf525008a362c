"""Run the SQL in ``sql/`` with DuckDB over one snapshot, for one as-at date.

Why DuckDB: one SQL dialect, no server, fast on two cores, reads Parquet directly. The run order
is explicit (``sql/manifest.yaml``), each file is one ``select`` whose name is the table it makes
(every layer materialised as a table). Values reach the SQL only as data: the run
parameters sit in a one-row table read by macros (``as_at()``, ``w6_start()`` ...) and codes come
from reference tables, so no value is ever formatted into SQL text. Identifiers (table names) come
only from the contract and the manifest.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from annexa import reference
from annexa.core.calendar import calendar_table
from annexa.core.dates import Windows
from annexa.core.files import private_dir
from annexa.core.paths import sql_dir
from annexa.source.contract import TABLES
from annexa.transform.mapping import Mapping, code_map_table
from annexa.transform.unmapped import Unmapped, find_2019_renderings, find_unmapped
from annexa.validate.source import write_check_frames

log = logging.getLogger(__name__)

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
VERSIONS = ("later", "2019")


@dataclass
class BuildResult:
    work_dir: Path
    lists: dict[int, Path] = field(default_factory=dict)
    row_counts: dict[int, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    unmapped: list[Unmapped] = field(default_factory=list)
    checks: dict[str, str] = field(default_factory=dict)  # source table -> check frame
    renderings_2019: list[dict] = field(default_factory=list)  # later-only codes under 2019
    pack_inputs: dict[str, str] = field(default_factory=dict)  # name -> JSON file for the pack
    pack_error: str | None = None

    def to_dict(self) -> dict:
        return {
            "work_dir": str(self.work_dir),
            "lists": {str(k): str(v) for k, v in self.lists.items()},
            "row_counts": {str(k): v for k, v in self.row_counts.items()},
            "seconds": self.seconds,
            "unmapped": [u.to_dict() for u in self.unmapped],
            "checks": self.checks,
            "renderings_2019": self.renderings_2019,
            "pack_inputs": self.pack_inputs,
            "pack_error": self.pack_error,
        }


def manifest() -> dict[str, list[str]]:
    """The explicit run order of the SQL files, by layer."""
    doc = yaml.safe_load((sql_dir() / "manifest.yaml").read_text())
    for layer in ("staging", "intermediate", "annex_a"):
        for name in doc.get(layer) or []:
            if not _NAME.match(name):
                raise ValueError(f"bad model name in sql/manifest.yaml: {name!r}")
    return doc


def list_number(model: str) -> int:
    m = re.match(r"annex_a_list_(\d\d)_", model)
    if not m:
        raise ValueError(f"list model names look like annex_a_list_01_contacts: {model}")
    return int(m.group(1))


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
) -> dict[str, float]:
    """Create every model of the manifest in order; returns seconds per model."""
    timings: dict[str, float] = {}
    doc = manifest()
    for layer, kind in (("staging", "table"), ("intermediate", "table"), ("annex_a", "table")):
        for name in doc.get(layer) or []:
            if layer == "annex_a" and only_lists and list_number(name) not in only_lists:
                continue
            sql = (sql_dir() / layer / f"{name}.sql").read_text()
            t0 = time.time()
            try:
                con.execute(f"create or replace {kind} {name} as\n{sql}")
            except duckdb.Error as exc:
                raise RuntimeError(f"SQL model {layer}/{name}.sql failed: {exc}") from exc
            timings[name] = round(time.time() - t0, 3)
            if progress and layer == "annex_a":
                progress(f"  built {name} in {timings[name]:.2f}s")
    return timings


def _export(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> int:
    """Stream a table to Parquet (owner-only); returns its row count."""
    reader = con.sql(f"select * from {name}").to_arrow_reader(50_000)
    rows = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f, pq.ParquetWriter(f, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _write_json(path: Path, doc) -> str:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f, indent=1, default=str)
    return str(path)


def _pack_inputs(con: duckdb.DuckDBPyConnection, folder: Path, result: BuildResult) -> None:
    """The intelligence pack's numbers, computed on this connection (issue 5): indicators and
    lines of enquiry. A failure here is recorded, never raised: the pack must not stop a return."""
    from annexa.pack.drilldowns import run_drilldowns
    from annexa.pack.indicators import compute_indicators

    folder = private_dir(folder)
    try:
        result.pack_inputs["indicators"] = _write_json(
            folder / "indicators.json", compute_indicators(con)
        )
        result.pack_inputs["drilldowns"] = _write_json(
            folder / "drilldowns.json", run_drilldowns(con)
        )
    except Exception as exc:  # noqa: BLE001 - reported in the build result and the manifest
        log.error("intelligence pack inputs failed: %s", type(exc).__name__)
        result.pack_error = f"{type(exc).__name__}: {exc}"[:500]


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
    """Build the Annex A lists from a snapshot; each list lands as ``lists/list_<n>.parquet``."""
    work_dir = private_dir(Path(work_dir))
    lists_dir = private_dir(work_dir / "lists")
    mapping = mapping or Mapping()
    result = BuildResult(work_dir)
    t0 = time.time()
    con = connect(work_dir)
    try:
        register_snapshot(con, snapshot)
        register_reference(
            con, windows, la_code=la_code, la_name=la_name, version=version, mapping=mapping
        )
        result.seconds = run_models(con, progress=progress, only_lists=only_lists)
        for name in manifest().get("annex_a") or []:
            n = list_number(name)
            if only_lists and n not in only_lists:
                continue
            path = lists_dir / f"list_{n}.parquet"
            result.row_counts[n] = _export(con, name, path)
            result.lists[n] = path
        t1 = time.time()
        result.unmapped = find_unmapped(con)
        result.renderings_2019 = find_2019_renderings(con, version)
        result.seconds["unmapped_check"] = round(time.time() - t1, 3)
        t2 = time.time()
        result.checks = write_check_frames(con, work_dir / "checks")
        result.seconds["check_frames"] = round(time.time() - t2, 3)
        t3 = time.time()
        _pack_inputs(con, work_dir / "pack", result)
        result.seconds["pack_inputs"] = round(time.time() - t3, 3)
    finally:
        con.close()
    result.seconds["total"] = round(time.time() - t0, 3)
    (work_dir / "build.json").write_text(
        json.dumps(
            {
                **result.to_dict(),
                "as_at": windows.as_at.isoformat(),
                "version": version,
                "mapping": mapping.source,
                "built_at": dt.datetime.now(dt.UTC).isoformat(),
            },
            indent=2,
        )
    )
    return result
