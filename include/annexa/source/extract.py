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
    dir: Path = Path()  # where its parts are written


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
    part = 0
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=chunk_rows).execute(stmt)
        while True:
            rows = result.fetchmany(chunk_rows)
            if not rows and part > 0:
                break
            _write_part(_chunk_to_arrow(t, arrow_schema, present, rows, report), t, part, report)
            part += 1
            if not rows:
                break


def _write_part(batch: pa.Table, t: Table, part: int, report: TableReport) -> None:
    path = report.dir / f"part-{part:05d}.parquet"
    pq.write_table(batch, path, compression="zstd")
    os.chmod(path, 0o600)
    report.files.append(
        {"file": f"{t.name}/{path.name}", "rows": batch.num_rows, "sha256": sha256_file(path)}
    )
    report.rows += batch.num_rows


# --- the Arrow-native readers (ADBC): SQLite and PostgreSQL ---------------------------------
# The source's rows arrive as Arrow batches and become contract-typed columns with Arrow compute,
# not Python objects; what the generic path decides value by value (text, dates, numbers,
# garbage) is decided the same way here, and anything unusual falls back to those same Python
# converters, so a snapshot is the same whichever reader wrote it.

ARROW_READERS = ("sqlite", "postgresql")


def arrow_reader(url: str) -> str | None:
    """Which Arrow-native reader reads ``url`` (None: the generic SQLAlchemy path). Set
    ``ANNEXA_EXTRACT_READER=sqlalchemy`` to force the generic path."""
    if os.environ.get("ANNEXA_EXTRACT_READER", "").lower() == "sqlalchemy":
        return None
    try:
        u = make_url(url)
    except Exception:  # noqa: BLE001 - the generic path reports a bad URL
        return None
    backend = u.get_backend_name()
    if backend == "sqlite" and u.database and u.database != ":memory:" and not u.query:
        try:
            import adbc_driver_sqlite.dbapi  # noqa: F401
        except ImportError:
            return None
        return "sqlite"
    if backend == "postgresql":
        try:
            import adbc_driver_postgresql.dbapi  # noqa: F401
        except ImportError:
            return None
        return "postgresql"
    return None


def _arrow_errors() -> tuple[type[BaseException], ...]:
    try:
        import adbc_driver_manager.dbapi as adbc
    except ImportError:
        return ()
    return (adbc.Error,)


def _adbc_connect(url: str, reader: str):
    u = make_url(url)
    if reader == "sqlite":
        import adbc_driver_sqlite.dbapi as adbc_sqlite

        return adbc_sqlite.connect(u.database)
    import adbc_driver_postgresql.dbapi as adbc_pg

    # libpq takes the same URL (user, password, host, port, database, connect_timeout, options)
    return adbc_pg.connect(u.set(drivername="postgresql").render_as_string(hide_password=False))


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_NUMERIC = ("int", "float")


def _sqlite_select(t: Table, src_table: str, found: dict[str, str]) -> str:
    """Every column as SQLite text (so the driver's first-rows type guess cannot fail on a
    column that mixes types), numbers as REAL with their text values beside them; a leading row
    of the right types fixes the batches' schema and is dropped."""
    lead, cols = [], []
    for c in t.columns:
        if c.name not in found:
            continue
        s, alias = _q(found[c.name]), _q(c.name)
        if c.type in _NUMERIC:
            lead += [f"0.5 as {alias}", f"'' as {_q(c.name + '__text')}"]
            cols += [
                f"cast(case when typeof({s}) in ('integer', 'real') then {s} end as real) "
                f"as {alias}",
                f"case when typeof({s}) = 'text' then {s} end as {_q(c.name + '__text')}",
            ]
        else:
            lead.append(f"'' as {alias}")
            # an integral REAL reads as the integer's text, as the generic path writes it
            cols.append(
                f"case when typeof({s}) = 'real' and {s} = cast({s} as integer) "
                f"then cast(cast({s} as integer) as text) else cast({s} as text) end as {alias}"
            )
    return f"select {', '.join(lead)} union all select {', '.join(cols)} from {_q(src_table)}"


def _pg_select(t: Table, src_table: str, schema_name: str | None, found: dict[str, str]) -> str:
    cols = [f"{_q(found[c.name])} as {_q(c.name)}" for c in t.columns if c.name in found]
    where = f"{_q(schema_name)}.{_q(src_table)}" if schema_name else _q(src_table)
    return f"select {', '.join(cols)} from {where}"


def _date_from_text(text: pa.Array, counter: dict[str, int], name: str) -> pa.Array:
    head = pc.utf8_slice_codeunits(text, 0, 10)
    try:
        return pc.cast(head, pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _to_date(head.to_pylist(), counter, name)


def _number_from(num: pa.Array | None, text: pa.Array | None, typ: pa.DataType) -> pa.Array:
    """The generic path's ``_to_number``: int(float(v)) or float(v); garbage becomes null."""
    out = None
    if num is not None:
        num = pc.cast(num, pa.float64())
        try:
            out = pc.cast(pc.trunc(num), typ) if pa.types.is_integer(typ) else num
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            out = _to_number(num.to_pylist(), typ)
    if text is not None and text.null_count < len(text):
        parsed = _to_number(text.to_pylist(), typ)
        out = parsed if out is None else pc.if_else(pc.is_valid(out), out, parsed)
    return out if out is not None else pa.nulls(len(text) if text is not None else 0, typ)


def _arrow_column(arr: pa.Array, col, typ: pa.DataType, report: TableReport) -> pa.Array:
    """One typed source column (PostgreSQL, or SQLite's text) as the contract type."""
    if col.type == "date":
        if arr.type == pa.date32():
            return arr
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
            return _date_from_text(pc.cast(arr, pa.string()), report.unparseable_dates, col.name)
        return _to_date(arr.to_pylist(), report.unparseable_dates, col.name)
    if pa.types.is_string(typ):
        if pa.types.is_string(arr.type):
            return arr
        if pa.types.is_large_string(arr.type) or pa.types.is_integer(arr.type):
            return pc.cast(arr, pa.string())
        return _to_text(arr.to_pylist())
    if arr.type == typ:
        return arr
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        return _number_from(arr, None, typ)
    return _to_number(arr.to_pylist(), typ)


def _arrow_batch(t: Table, schema: pa.Schema, rows: pa.Table, reader: str, report: TableReport):
    names = set(rows.schema.names)
    arrays = []
    for col in t.columns:
        typ = schema.field(col.name).type
        if col.name not in names:
            arrays.append(pa.nulls(rows.num_rows, typ))
        elif reader == "sqlite" and col.type in _NUMERIC:
            arrays.append(_number_from(rows[col.name], rows[col.name + "__text"], typ))
        else:
            arrays.append(_arrow_column(rows[col.name], col, typ, report))
    return pa.Table.from_arrays(arrays, schema=schema)


def _read_table_arrow(
    url: str,
    reader: str,
    t: Table,
    src_table: str,
    schema_name: str | None,
    found: dict[str, str],
    chunk_rows: int,
    report: TableReport,
) -> None:
    schema = _schema(t)
    if reader == "sqlite":
        sql, skip = _sqlite_select(t, src_table, found), 1
    else:
        sql, skip = _pg_select(t, src_table, schema_name, found), 0
    pending: list[pa.RecordBatch] = []
    held, part = 0, 0
    conn = _adbc_connect(url, reader)
    try:
        cur = conn.cursor()
        if reader == "sqlite":
            cur.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(chunk_rows)})
        cur.execute(sql)
        for batch in cur.fetch_record_batch():
            if skip:
                batch, skip = batch.slice(skip), 0
            pending.append(batch)
            held += batch.num_rows
            while held >= chunk_rows:  # parts of chunk_rows rows, as the generic path writes
                rows = pa.Table.from_batches(pending)
                head = rows.slice(0, chunk_rows).combine_chunks()
                _write_part(_arrow_batch(t, schema, head, reader, report), t, part, report)
                part += 1
                rest = rows.slice(chunk_rows)
                pending, held = rest.to_batches(), rest.num_rows
        cur.close()
    finally:
        conn.close()
    if held:
        rows = pa.Table.from_batches(pending).combine_chunks()
        _write_part(_arrow_batch(t, schema, rows, reader, report), t, part, report)
    elif part == 0:  # an empty table: one empty part, as the generic path writes
        _write_part(schema.empty_table(), t, part, report)


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
    # Arrow-native where the dialect allows; an engine given by the caller means SQLAlchemy
    reader = None if engine is not None else arrow_reader(url)
    engine = engine or sa.create_engine(url, pool_pre_ping=True)
    started = time.time()
    reports: list[TableReport] = []
    try:
        actual_tables = {n.lower(): n for n in sa.inspect(engine).get_table_names(schema=schema)}
        missing = [t.name for t in TABLES if t.name.lower() not in actual_tables]
        if missing:
            raise ExtractError(f"source lacks required table(s): {', '.join(missing)}")
        retryable: tuple[type[BaseException], ...] = (
            OperationalError,
            DBAPIError,
            *_arrow_errors(),
        )
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
                    report.dir = partial / t.name
                    if report.dir.exists():
                        shutil.rmtree(report.dir)
                    private_dir(report.dir)
                    if reader:
                        _read_table_arrow(
                            url, reader, t, src_table, schema, found, chunk_rows, report
                        )
                    else:
                        _read_table(
                            engine, t, src_table, schema, found, partial, chunk_rows, report
                        )
                    break
                except retryable as exc:
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
            "reader": f"adbc-{reader}" if reader else "sqlalchemy",
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
