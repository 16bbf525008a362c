"""Extract every contract table from any SQLAlchemy URL into an immutable Parquet snapshot.

Why it looks like this:
* Bounded memory: rows are streamed in chunks and each chunk becomes one Parquet file, so the
  largest county's CMS never sits in memory at once.
* Select by name only (spec source_contract.md §2.2): column order differs between CMS builds,
  per-CMS aliases are applied first, optional columns that are absent are written as nulls with a
  warning, and a missing required table or column is an error that names it.
* All-or-nothing: the snapshot is written into a hidden ``.partial`` folder and renamed into place
  only when every table and the manifest are complete. A dropped connection retries the table
  from scratch; a run that still fails removes its partial folder, so no half snapshot can ever
  look whole.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from annexa.core.files import private_dir, sha256_file, write_text
from annexa.source.contract import ALIASES, ARROW_TYPES, REQUIRED_ONE_OF, TABLES, Table

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"


class ExtractError(RuntimeError):
    """The source does not satisfy the contract, or could not be read after retries."""


@dataclass
class TableReport:
    table: str
    rows: int = 0
    seconds: float = 0.0
    files: list[dict] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)
    aliased: dict[str, str] = field(default_factory=dict)
    unparseable_dates: dict[str, int] = field(default_factory=dict)
    attempts: int = 1


def safe_url(url: str) -> str:
    """The source URL without its password, for manifests and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparseable URL must still not leak
        return "<unparseable url>"


def _schema(t: Table) -> pa.Schema:
    return pa.schema([(c.name, pa.type_for_alias(ARROW_TYPES[c.type])) for c in t.columns])


def _to_text(values: Sequence) -> pa.Array:
    if all(v is None or isinstance(v, str) for v in values):
        return pa.array(values, pa.string())
    out = []
    for v in values:
        if v is None or isinstance(v, str):
            out.append(v)
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))  # 123.0 -> "123": numeric ids read back from float columns
        elif isinstance(v, (dt.datetime, dt.date)):
            out.append(v.isoformat())
        else:
            out.append(str(v))
    return pa.array(out, pa.string())


def _to_date(values: Sequence, counter: dict[str, int], name: str) -> pa.Array:
    """Keep the date part of date-times; parse text as ISO; garbage becomes null and is counted."""
    sample = next((v for v in values if v is not None), None)
    if sample is None:
        return pa.nulls(len(values), pa.date32())
    if isinstance(sample, dt.datetime):
        return pa.array(
            [v.date() if isinstance(v, dt.datetime) else v for v in values], pa.date32()
        )
    if isinstance(sample, dt.date):
        return pa.array(values, pa.date32())
    text = pc.utf8_slice_codeunits(_to_text(values), 0, 10)
    try:
        return pc.cast(text, pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        out: list[dt.date | None] = []
        for v in text.to_pylist():
            try:
                out.append(dt.date.fromisoformat(v) if v else None)
            except ValueError:
                counter[name] = counter.get(name, 0) + 1
                out.append(None)
        return pa.array(out, pa.date32())


def _to_number(values: Sequence, typ: pa.DataType) -> pa.Array:
    out: list[int | float | None] = []
    for v in values:
        if v is None or v == "":
            out.append(None)
            continue
        try:
            out.append(int(float(v)) if pa.types.is_integer(typ) else float(v))
        except (TypeError, ValueError):
            out.append(None)
    return pa.array(out, typ)


def _chunk_to_arrow(
    t: Table, schema: pa.Schema, present: list[str], rows: Sequence[Sequence], report: TableReport
) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in present]
    by_name = dict(zip(present, columns, strict=True))
    arrays = []
    for col in t.columns:
        typ = schema.field(col.name).type
        values = by_name.get(col.name)
        if values is None:
            arrays.append(pa.nulls(len(rows), typ))
        elif col.type == "date":
            arrays.append(_to_date(values, report.unparseable_dates, col.name))
        elif pa.types.is_string(typ):
            arrays.append(_to_text(values))
        else:
            arrays.append(_to_number(values, typ))
    return pa.Table.from_arrays(arrays, schema=schema)


def _resolve_columns(
    t: Table, actual: Iterable[str], cms: str | None
) -> tuple[dict[str, str], list[str]]:
    """Map contract column -> the source's column name; return (mapping, missing optional)."""
    by_lower = {a.lower(): a for a in actual}
    aliases = {v: k for k, v in ALIASES.get(cms or "", {}).get(t.name, {}).items()}
    found: dict[str, str] = {}
    for col in t.columns:
        src = by_lower.get(col.name.lower())
        if src is None and col.name in aliases:
            src = by_lower.get(aliases[col.name].lower())
        if src is not None:
            found[col.name] = src
    missing_required = [c.name for c in t.columns if c.need == "R" and c.name not in found]
    if missing_required:
        raise ExtractError(
            f"source table {t.name} lacks required column(s): {', '.join(missing_required)}"
        )
    for pair in REQUIRED_ONE_OF.get(t.name, ()):
        if not any(p in found for p in pair):
            raise ExtractError(
                f"source table {t.name} needs at least one of the columns: {' or '.join(pair)}"
            )
    missing_optional = [c.name for c in t.columns if c.name not in found]
    return found, missing_optional


def _read_table(
    engine: sa.Engine,
    t: Table,
    src_table: str,
    schema_name: str | None,
    found: dict[str, str],
    out_dir: Path,
    chunk_rows: int,
    report: TableReport,
) -> None:
    arrow_schema = _schema(t)
    present = list(found)
    src_cols: list[sa.ColumnClause[Any]] = [sa.column(found[c]) for c in present]
    stmt = sa.select(*src_cols).select_from(sa.table(src_table, schema=schema_name))
    table_dir = out_dir / t.name
    if table_dir.exists():
        shutil.rmtree(table_dir)
    private_dir(table_dir)
    part = 0
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=chunk_rows).execute(stmt)
        while True:
            rows = result.fetchmany(chunk_rows)
            if not rows and part > 0:
                break
            batch = _chunk_to_arrow(t, arrow_schema, present, rows, report)
            path = table_dir / f"part-{part:05d}.parquet"
            pq.write_table(batch, path, compression="zstd")
            os.chmod(path, 0o600)
            report.files.append(
                {
                    "file": f"{t.name}/{path.name}",
                    "rows": batch.num_rows,
                    "sha256": sha256_file(path),
                }
            )
            report.rows += batch.num_rows
            part += 1
            if not rows:
                break


def extract(
    url: str,
    dest: Path,
    *,
    cms: str | None = None,
    schema: str | None = None,
    chunk_rows: int = 100_000,
    retries: int = 3,
    retry_wait: float = 2.0,
    progress: Callable[[str], None] | None = None,
    engine: sa.Engine | None = None,
) -> Path:
    """Snapshot every contract table of ``url`` into ``dest`` (which must not exist yet).

    Returns ``dest``. On any failure nothing is left at ``dest``.
    """
    dest = Path(dest)
    if dest.exists():
        raise ExtractError(f"snapshot folder already exists (snapshots are immutable): {dest}")
    say = progress or (lambda msg: log.info("%s", msg))
    private_dir(dest.parent)
    partial = dest.parent / f".{dest.name}.partial"
    if partial.exists():
        shutil.rmtree(partial)
    private_dir(partial)
    engine = engine or sa.create_engine(url, pool_pre_ping=True)
    started = time.time()
    reports: list[TableReport] = []
    try:
        actual_tables = {n.lower(): n for n in sa.inspect(engine).get_table_names(schema=schema)}
        missing = [t.name for t in TABLES if t.name.lower() not in actual_tables]
        if missing:
            raise ExtractError(f"source lacks required table(s): {', '.join(missing)}")
        for t in TABLES:
            src_table = actual_tables[t.name.lower()]
            report = TableReport(t.name)
            t0 = time.time()
            for attempt in range(1, retries + 2):
                report.attempts = attempt
                try:
                    cols = [c["name"] for c in sa.inspect(engine).get_columns(src_table, schema)]
                    found, report.missing_optional = _resolve_columns(t, cols, cms)
                    report.aliased = {k: v for k, v in found.items() if k != v}
                    report.rows, report.files, report.unparseable_dates = 0, [], {}
                    _read_table(engine, t, src_table, schema, found, partial, chunk_rows, report)
                    break
                except (OperationalError, DBAPIError) as exc:
                    if attempt > retries:
                        raise ExtractError(
                            f"reading {t.name} failed after {attempt} attempts: "
                            f"{type(exc).__name__}"
                        ) from exc
                    say(
                        f"  {t.name}: connection problem ({type(exc).__name__}); "
                        f"retry {attempt} of {retries}"
                    )
                    engine.dispose()
                    time.sleep(retry_wait * attempt)
            report.seconds = round(time.time() - t0, 3)
            if report.missing_optional:
                say(
                    f"  {t.name}: optional column(s) absent, read as null: "
                    f"{', '.join(report.missing_optional)}"
                )
            say(f"  {t.name}: {report.rows:,} rows")
            reports.append(report)
        manifest = {
            "kind": "annexa-snapshot",
            "source": safe_url(url),
            "cms": cms,
            "started_at": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(),
            "seconds": round(time.time() - started, 3),
            "tables": {
                r.table: {
                    "rows": r.rows,
                    "seconds": r.seconds,
                    "files": r.files,
                    "missing_optional": r.missing_optional,
                    "aliased": r.aliased,
                    "unparseable_dates": r.unparseable_dates,
                    "attempts": r.attempts,
                }
                for r in reports
            },
        }
        write_text(partial / MANIFEST, json.dumps(manifest, indent=2))
        os.rename(partial, dest)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        engine.dispose()
    return dest


def read_manifest(snapshot: Path) -> dict:
    """Load a snapshot's manifest; a folder without one is not a snapshot."""
    path = Path(snapshot) / MANIFEST
    if not path.is_file():
        raise ExtractError(f"not a complete snapshot (no {MANIFEST}): {snapshot}")
    return json.loads(path.read_text())


def verify_snapshot(snapshot: Path) -> None:
    """Check the snapshot is exactly what the extract wrote: every file of the manifest is
    there with its checksum, and no other Parquet part was added (the build reads every part).
    Run before each build, so a snapshot changed or truncated since extraction is never built."""
    snapshot = Path(snapshot)
    manifest = read_manifest(snapshot)
    again = "; extract again (a new run) rather than build from it"
    listed = set()
    for name, info in manifest["tables"].items():
        for f in info["files"]:
            listed.add(f["file"])
            path = snapshot / f["file"]
            if not path.is_file():
                raise ExtractError(f"snapshot {snapshot}: {f['file']} ({name}) is missing{again}")
            if sha256_file(path) != f["sha256"]:
                raise ExtractError(
                    f"snapshot {snapshot} was changed after extraction: {f['file']} ({name}) "
                    f"does not match its checksum in {MANIFEST}{again}"
                )
    extra = sorted(
        str(p.relative_to(snapshot))
        for p in snapshot.glob("*/part-*.parquet")
        if str(p.relative_to(snapshot)) not in listed
    )
    if extra:
        raise ExtractError(
            f"snapshot {snapshot} has files the extract did not write: {', '.join(extra[:5])}"
            f"{again}"
        )
