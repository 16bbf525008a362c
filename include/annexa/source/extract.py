"""Extract every contract table from any SQLAlchemy URL into an immutable Parquet snapshot.

Why it looks like this:
* Bounded memory: rows are streamed in chunks and each chunk becomes one Parquet file, so the
  largest county's CMS never sits in memory at once.
* Select by name only (spec source_contract.md §2.2): column order differs between CMS builds,
  per-CMS aliases are applied first, optional columns that are absent are written as nulls with a
  warning, and a missing required table or column is an error that names it.
* All-or-nothing: the snapshot is written into a hidden ``.partial`` folder and renamed into place
  only when every table and the manifest are complete. A dropped connection retries the whole
  read from scratch; a run that still fails removes its partial folder, so no half snapshot can
  ever look whole.
* One consistent moment: every table is read in one read transaction on one connection
  (REPEATABLE READ, READ ONLY on PostgreSQL; a deferred BEGIN on SQLite), so a CMS that changes
  during the extract (an SSD rebuild, a worker saving a record) gives the state at the start,
  never a mix (issue 14.2). The table and column names are read in that transaction too.
* Arrow-native where the dialect allows (issue 10): SQLite and PostgreSQL are read through ADBC,
  whose rows arrive as Arrow batches and become contract-typed columns with Arrow compute; the
  generic SQLAlchemy path (SQL Server and others, or ``ANNEXA_EXTRACT_READER=sqlalchemy``)
  decides value by value, and the ADBC path falls back to those same converters for anything
  unusual, so a snapshot is the same whichever reader wrote it. On SQLite the ADBC reader never
  shares the file with a second SQLite library in the process (pysqlite): POSIX locks are per
  process, so closing the other library's handle would drop the reader's lock.
* Tolerant of what real builds hold, and says so in the manifest (counts per column, ids for
  what must be fixed): date-times and UK ``dd/mm/yyyy`` text are read as dates
  (``reformatted_dates``); text that is no date becomes null with the record ids
  (``unparseable_dates``, an error of the gate, source_contract §10); control characters are
  removed (``control_characters``); SQLite text that is not UTF-8 is read as Windows-1252
  (``recoded_text``); columns the contract does not read are ignored (``extra_columns``), and a
  column under another build's known alias is read under its contract name (``aliased``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
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
    unparseable_ids: dict[str, list[str]] = field(default_factory=dict)
    reformatted_dates: dict[str, int] = field(default_factory=dict)
    control_characters: dict[str, int] = field(default_factory=dict)
    recoded_text: int = 0
    extra_columns: list[str] = field(default_factory=list)
    attempts: int = 1
    dir: Path = Path()  # where its parts are written
    writer: _PartWriter | None = None  # writes them (None: in the caller's thread)


# record ids kept per column for values that must be fixed at source (the count is complete)
MAX_IDS = 1000
# C0 controls but tab, LF and CR: invalid in XML (the workbook), invisible in a CSV
_CONTROL_ARROW = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YMD = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_DMONY = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3})[A-Za-z]*[ -](\d{4})")


def parse_date_text(text: str) -> tuple[dt.date | None, bool]:
    """A date held as text: ``(date, reformatted)``. ISO dates (with or without a time part) are
    read as they are; ``dd/mm/yyyy`` (also with ``-`` or ``.``, the UK order), ``yyyy/mm/dd``
    and ``31 Mar 2026`` are read and flagged as reformatted. Anything else is ``(None, False)``:
    an unparseable date, never guessed."""
    v = text.strip()
    if not v:
        return None, False
    try:
        if (m := _DMONY.match(v)) and m[2].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1])), True
        head = re.split(r"[ T]", v, maxsplit=1)[0]
        if _ISO.fullmatch(head[:10]):
            return dt.date.fromisoformat(head[:10]), False
        if m := _DMY.fullmatch(head):
            return dt.date(int(m[3]), int(m[2]), int(m[1])), True
        if m := _YMD.fullmatch(head):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), True
        return dt.date.fromisoformat(head), True  # compact 20260331
    except ValueError:  # 31/02/2026: the right shape, no such day; or no date at all
        return None, False


def decode_legacy_text(raw: bytes, counter: list[int]) -> str:
    """SQLite text as UTF-8; bytes that are not UTF-8 (a legacy load) as Windows-1252, else
    Latin-1 (every byte is a character), counted."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        counter[0] += 1
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


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
        elif isinstance(v, (bytes, memoryview)):  # a BLOB where text belongs
            out.append(decode_legacy_text(bytes(v), [0]))
        else:
            out.append(str(v))
    return pa.array(out, pa.string())


def _to_date(values: Sequence, report: TableReport, name: str, keys: Sequence | None) -> pa.Array:
    """Keep the date part of date-times; parse text (``parse_date_text``); text that is no date
    becomes null, counted with its record id."""
    sample = next((v for v in values if v is not None), None)
    if sample is None:
        return pa.nulls(len(values), pa.date32())
    if all(v is None or isinstance(v, dt.datetime) for v in values):
        return pa.array([None if v is None else v.date() for v in values], pa.date32())
    if all(type(v) is dt.date for v in values if v is not None):
        return pa.array(values, pa.date32())
    text = _to_text(values)
    if all(isinstance(v, str) for v in values if v is not None):
        try:  # the common case, vectorised: ISO text, possibly with a time part
            return pc.cast(pc.utf8_slice_codeunits(text, 0, 10), pa.date32())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    out: list[dt.date | None] = []
    for i, v in enumerate(values):
        if v is None:
            out.append(None)
        elif isinstance(v, dt.datetime):
            out.append(v.date())
        elif isinstance(v, dt.date):
            out.append(v)
        else:
            d, reformatted = parse_date_text(str(v))
            if d is None and str(v).strip():
                report.unparseable_dates[name] = report.unparseable_dates.get(name, 0) + 1
                ids = report.unparseable_ids.setdefault(name, [])
                if keys is not None and keys[i] is not None and len(ids) < MAX_IDS:
                    ids.append(_to_text([keys[i]])[0].as_py())
            elif reformatted:
                report.reformatted_dates[name] = report.reformatted_dates.get(name, 0) + 1
            out.append(d)
    return pa.array(out, pa.date32())


_ALLOWED_LOW = np.array([0x09, 0x0A, 0x0D], dtype=np.uint8)  # tab, LF, CR


def _may_hold_controls(arr: pa.Array | pa.ChunkedArray) -> bool:
    """Whether a string array's data bytes include a C0 control but tab, LF, CR (or DEL);
    bytes outside a sliced array's range can only make this say yes, never no."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    for chunk in chunks:
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return True
        data = chunk.buffers()[2]
        if data is None:
            continue
        b = np.frombuffer(data, dtype=np.uint8)
        low = b[b < 0x20]
        if (low.size and not np.isin(low, _ALLOWED_LOW).all()) or (b == 0x7F).any():
            return True
    return False


def _strip_controls(arr: pa.Array, report: TableReport, name: str) -> pa.Array:
    """Remove control characters from text (counted per column). The data buffer is scanned
    for such bytes first (numpy, no regex): most columns hold none."""
    if not _may_hold_controls(arr):
        return arr
    hits = pc.sum(pc.match_substring_regex(arr, _CONTROL_ARROW)).as_py() or 0
    if not hits:
        return arr
    report.control_characters[name] = report.control_characters.get(name, 0) + int(hits)
    return pc.replace_substring_regex(arr, _CONTROL_ARROW, "")


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
    keys = by_name.get(t.key)
    arrays = []
    for col in t.columns:
        typ = schema.field(col.name).type
        values = by_name.get(col.name)
        if values is None:
            arrays.append(pa.nulls(len(rows), typ))
        elif col.type == "date":
            arrays.append(_to_date(values, report, col.name, keys))
        elif pa.types.is_string(typ):
            arrays.append(_strip_controls(_to_text(values), report, col.name))
        else:
            arrays.append(_to_number(values, typ))
    return pa.Table.from_arrays(arrays, schema=schema)


def _resolve_columns(
    t: Table, actual: Iterable[str], cms: str | None
) -> tuple[dict[str, str], list[str]]:
    """Map contract column -> the source's column name; return (mapping, missing optional)."""
    by_lower = {a.lower(): a for a in actual}
    # the named build's aliases first, then any build's: an alias names one contract column
    # wherever it is met (a source is often not declared as the build it is)
    builds = [cms or ""] + sorted(b for b in ALIASES if b != cms)
    aliases: dict[str, list[str]] = {}
    for b in builds:
        for alias, name in ALIASES.get(b, {}).get(t.name, {}).items():
            aliases.setdefault(name, []).append(alias)
    found: dict[str, str] = {}
    for col in t.columns:
        src = by_lower.get(col.name.lower())
        for alias in aliases.get(col.name, ()):
            if src is None:
                src = by_lower.get(alias.lower())
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


def _extra_columns(actual: Iterable[str], found: dict[str, str]) -> list[str]:
    used = {v.lower() for v in found.values()}
    return sorted(a for a in actual if a.lower() not in used)


def _read_table(
    conn: sa.Connection,
    t: Table,
    src_table: str,
    schema_name: str | None,
    found: dict[str, str],
    chunk_rows: int,
    report: TableReport,
) -> None:
    arrow_schema = _schema(t)
    present = list(found)
    src_cols: list[sa.ColumnClause[Any]] = [sa.column(found[c]) for c in present]
    stmt = sa.select(*src_cols).select_from(sa.table(src_table, schema=schema_name))
    part = 0
    result = conn.execution_options(stream_results=True, yield_per=chunk_rows).execute(stmt)
    try:
        while True:
            rows = result.fetchmany(chunk_rows)
            if not rows and part > 0:
                break
            _write_part(_chunk_to_arrow(t, arrow_schema, present, rows, report), t, part, report)
            part += 1
            if not rows:
                break
    finally:
        result.close()


def _write_part(batch: pa.Table, t: Table, part: int, report: TableReport) -> None:
    path = report.dir / f"part-{part:05d}.parquet"
    entry: dict[str, Any] = {"file": f"{t.name}/{path.name}", "rows": batch.num_rows}
    report.files.append(entry)
    report.rows += batch.num_rows
    dictionary = _dictionary_columns(t)
    if report.writer is None:
        _write_file(batch, path, entry, dictionary)
    else:
        report.writer.submit(batch, path, entry, dictionary)


# contract types whose values are (nearly) all distinct: Parquet's dictionary encoding of such a
# column is built up to its size limit and then abandoned, which costs a third of the writing
_NO_DICTIONARY = ("id", "text", "json")


def _dictionary_columns(t: Table) -> list[str]:
    """The columns Parquet-encoded with a dictionary: codes, flags, dates and numbers (values
    repeat), not ids or free text. The snapshot is a third smaller and DuckDB reads it as fast."""
    return [c.name for c in t.columns if c.type not in _NO_DICTIONARY]


def _write_file(batch: pa.Table, path: Path, entry: dict[str, Any], dictionary: list[str]) -> None:
    """One owner-only Parquet part, hashed from the bytes written (not read back)."""
    sink = pa.BufferOutputStream()
    pq.write_table(batch, sink, compression="zstd", use_dictionary=dictionary)
    data = sink.getvalue()
    entry["sha256"] = hashlib.sha256(data).hexdigest()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(fd, "wb") as f:
        f.write(memoryview(data))


class _PartWriter:
    """Writes parts in a thread of its own, so the next batch is read and converted while this
    one is encoded, hashed and written (pyarrow's Parquet writer, hashlib and file writes
    release the GIL). At most ``depth`` parts wait, which bounds memory; a write's error is
    raised by a later ``submit`` or by ``drain``."""

    def __init__(self, depth: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshot-writer")
        self._pending: deque[Future[None]] = deque()
        self._depth = depth

    def submit(
        self, batch: pa.Table, path: Path, entry: dict[str, Any], dictionary: list[str]
    ) -> None:
        self._pending.append(self._pool.submit(_write_file, batch, path, entry, dictionary))
        while len(self._pending) > self._depth:
            self._pending.popleft().result()

    def drain(self) -> None:
        """Wait for every part submitted; raise the first write's error."""
        while self._pending:
            self._pending.popleft().result()

    def close(self) -> None:
        """Wait for the thread (so nothing is still writing into a folder being removed)."""
        self._pool.shutdown(wait=True)
        self._pending.clear()


def _begin_consistent_read(conn: sa.Connection) -> None:
    """Open the one read transaction every table is read in (see the module docstring)."""
    name = conn.dialect.name
    if name == "postgresql":
        conn.execution_options(isolation_level="REPEATABLE READ")
        conn.begin()
    elif name == "sqlite":
        conn.exec_driver_sql("BEGIN")  # pysqlite opens none before a SELECT
    # other dialects: their default isolation (SQL Server: snapshot needs a database option)


def _sqlite_decoding(engine: sa.Engine, counter: list[int]) -> None:
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _text_factory(dbapi_conn, _record) -> None:
        dbapi_conn.text_factory = lambda raw: decode_legacy_text(raw, counter)

    engine.dispose()  # connections made before the listener decode strictly


class _GenericSource:
    """The SQLAlchemy path: names from the inspector, rows streamed, both on one connection in
    one read transaction."""

    def __init__(self, conn: sa.Connection, recoded: list[int]) -> None:
        _begin_consistent_read(conn)
        self.conn, self.insp, self.recoded = conn, sa.inspect(conn), recoded

    def table_names(self, schema: str | None) -> list[str]:
        return list(self.insp.get_table_names(schema=schema))

    def column_names(self, table: str, schema: str | None) -> list[str]:
        return [c["name"] for c in self.insp.get_columns(table, schema)]

    def read(self, t: Table, src_table: str, schema: str | None, found, chunk_rows, report):
        self.recoded[0] = 0
        _read_table(self.conn, t, src_table, schema, found, chunk_rows, report)
        report.recoded_text = self.recoded[0]

    def end(self) -> None:
        self.conn.rollback()  # read only: nothing to keep


# --- the Arrow-native readers (ADBC): SQLite and PostgreSQL ---------------------------------
# The source's rows arrive as Arrow batches and become contract-typed columns with Arrow compute,
# not Python objects; what the generic path decides value by value (text, dates, numbers,
# garbage, encodings, control characters) is decided the same way here, and anything unusual
# falls back to those same Python converters, so a snapshot is the same whichever reader wrote it.

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
    """An ADBC connection in a transaction (the DB-API default, autocommit off: the driver
    sends BEGIN); on PostgreSQL made REPEATABLE READ, READ ONLY before its first query."""
    u = make_url(url)
    if reader == "sqlite":
        import adbc_driver_sqlite.dbapi as adbc_sqlite

        return adbc_sqlite.connect(u.database)
    import adbc_driver_postgresql.dbapi as adbc_pg

    conn = adbc_pg.connect(_libpq_uri(u))
    try:
        with conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    except BaseException:
        conn.close()
        raise
    return conn


def _libpq_uri(u: URL) -> str:
    """The URL as libpq takes it (user, password, host, port, database and the query:
    connect_timeout, options...). Query values are percent-encoded, never ``+`` for a space:
    libpq decodes only ``%XX``, so ``options=-c statement_timeout=300`` must reach it whole."""
    uri = u.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    if u.query:
        uri += "?" + urlencode(dict(u.query), doseq=True, quote_via=quote)
    return uri


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _pragma_args(table: str, schema: str | None) -> str:
    return _lit(table) + (f", {_lit(schema)}" if schema else "")


_NUMERIC = ("int", "float")


def _text_affinity(declared: str) -> bool:
    """Whether SQLite gives a column declared so TEXT affinity (its datatype rules: INT first,
    then CHAR, CLOB or TEXT). Such a column stores a number written to it as text, so it never
    holds an INTEGER or a REAL."""
    d = declared.upper()
    return "INT" not in d and any(k in d for k in ("CHAR", "CLOB", "TEXT"))


def _sqlite_select(
    t: Table, src_table: str, found: dict[str, str], declared: dict[str, str] | None = None
) -> str:
    """Every column as SQLite text (so the driver's first-rows type guess cannot fail on a
    column that mixes types), numbers as REAL with their text values beside them; text travels
    as BLOB, so a value that is not UTF-8 reaches ``_utf8`` instead of failing the driver; a
    leading row of the right types fixes the batches' schema and is dropped. ``typeof`` is asked
    once a value, and not at all in a text column of TEXT affinity (``declared``: the source's
    declared column types), where it can only say text, blob or null (issue 10: it was a
    quarter of the read)."""
    declared = declared or {}
    lead, cols = [], []
    for c in t.columns:
        if c.name not in found:
            continue
        s, alias = _q(found[c.name]), _q(c.name)
        if c.type in _NUMERIC:
            lead += [f"0.5 as {alias}", f"cast('' as blob) as {_q(c.name + '__text')}"]
            cols += [
                f"case typeof({s}) when 'integer' then cast({s} as real) when 'real' then {s} "
                f"end as {alias}",
                f"case when typeof({s}) = 'text' then cast({s} as blob) end "
                f"as {_q(c.name + '__text')}",
            ]
            continue
        lead.append(f"cast('' as blob) as {alias}")
        if _text_affinity(declared.get(found[c.name], "")):
            cols.append(f"cast({s} as blob) as {alias}")
        else:  # an integral REAL reads as the integer's text, as the generic path writes it
            cols.append(
                f"case typeof({s}) when 'real' then cast(case when {s} = cast({s} as integer) "
                f"then cast(cast({s} as integer) as text) else cast({s} as text) end as blob) "
                f"else cast({s} as blob) end as {alias}"
            )
    return f"select {', '.join(lead)} union all select {', '.join(cols)} from {_q(src_table)}"


def _pg_select(t: Table, src_table: str, schema_name: str | None, found: dict[str, str]) -> str:
    cols = [f"{_q(found[c.name])} as {_q(c.name)}" for c in t.columns if c.name in found]
    where = f"{_q(schema_name)}.{_q(src_table)}" if schema_name else _q(src_table)
    return f"select {', '.join(cols)} from {where}"


def _utf8(arr: pa.Array, report: TableReport) -> pa.Array:
    """SQLite's text (as BLOB) as UTF-8, validated by Arrow; a batch holding bytes that are not
    UTF-8 is decoded value by value as pysqlite's text factory does (``decode_legacy_text``)."""
    if not (pa.types.is_binary(arr.type) or pa.types.is_large_binary(arr.type)):
        return arr
    try:
        return pc.cast(arr, pa.string())
    except pa.ArrowInvalid:
        counter = [0]
        out = [None if v is None else decode_legacy_text(v, counter) for v in arr.to_pylist()]
        report.recoded_text += counter[0]
        return pa.array(out, pa.string())


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


def _arrow_column(
    arr: pa.Array, col, typ: pa.DataType, report: TableReport, keys: pa.Array | None
) -> pa.Array:
    """One typed source column (PostgreSQL, or SQLite's text) as the contract type."""
    if col.type == "date":
        if arr.type == pa.date32():
            return arr
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
            text = pc.cast(arr, pa.string())
            try:  # the common case, vectorised: ISO text, possibly with a time part
                return pc.cast(pc.utf8_slice_codeunits(text, 0, 10), pa.date32())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
            values = text.to_pylist()
        else:
            values = arr.to_pylist()
        return _to_date(values, report, col.name, None if keys is None else keys.to_pylist())
    if pa.types.is_string(typ):
        if pa.types.is_large_string(arr.type) or pa.types.is_integer(arr.type):
            arr = pc.cast(arr, pa.string())
        elif not pa.types.is_string(arr.type):
            arr = _to_text(arr.to_pylist())
        return _strip_controls(arr, report, col.name)
    if arr.type == typ:
        return arr
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        return _number_from(arr, None, typ)
    return _to_number(arr.to_pylist(), typ)


def _arrow_batch(t: Table, schema: pa.Schema, rows: pa.Table, reader: str, report: TableReport):
    names = set(rows.schema.names)
    decoded = {n: _utf8(rows[n].combine_chunks(), report) for n in rows.schema.names}
    keys = decoded.get(t.key)
    arrays = []
    for col in t.columns:
        typ = schema.field(col.name).type
        if col.name not in names:
            arrays.append(pa.nulls(rows.num_rows, typ))
        elif reader == "sqlite" and col.type in _NUMERIC:
            arrays.append(_number_from(decoded[col.name], decoded[col.name + "__text"], typ))
        else:
            arrays.append(_arrow_column(decoded[col.name], col, typ, report, keys))
    return pa.Table.from_arrays(arrays, schema=schema)


class _ArrowSource:
    """The ADBC path: one connection, one transaction, for the names and every table's rows."""

    def __init__(self, url: str, reader: str) -> None:
        self.reader = reader
        self.conn = _adbc_connect(url, reader)

    def _column(self, sql: str) -> list[str]:
        with self.conn.cursor() as cur:
            cur.execute(sql)
            return [str(v) for v in cur.fetch_arrow_table().column(0).to_pylist()]

    def table_names(self, schema: str | None) -> list[str]:
        if self.reader == "sqlite":
            where = f"{_q(schema)}.sqlite_master" if schema else "sqlite_master"
            return self._column(
                f"select name from {where} where type = 'table' and name not like 'sqlite~_%' "
                "escape '~' order by name"
            )
        nsp = _lit(schema) if schema else "current_schema()"
        return self._column(
            "select c.relname::text from pg_catalog.pg_class c join pg_catalog.pg_namespace n "
            f"on n.oid = c.relnamespace where n.nspname = {nsp} and c.relkind in ('r', 'p') "
            "order by c.relname"
        )

    def column_names(self, table: str, schema: str | None) -> list[str]:
        if self.reader == "sqlite":
            return self._column(
                f"select name from pragma_table_info({_pragma_args(table, schema)})"
            )
        rel = f"{_q(schema)}.{_q(table)}" if schema else _q(table)
        return self._column(
            "select attname::text from pg_catalog.pg_attribute where attrelid = "
            f"{_lit(rel)}::regclass and attnum > 0 and not attisdropped order by attnum"
        )

    def _declared_types(self, table: str, schema: str | None) -> dict[str, str]:
        """SQLite's declared column types (what gives a column its affinity)."""
        with self.conn.cursor() as cur:
            cur.execute(f"select name, type from pragma_table_info({_pragma_args(table, schema)})")
            got = cur.fetch_arrow_table()
        return dict(zip(got.column(0).to_pylist(), got.column(1).to_pylist(), strict=True))

    def read(self, t: Table, src_table: str, schema: str | None, found, chunk_rows, report):
        sch = _schema(t)
        if self.reader == "sqlite":
            declared = self._declared_types(src_table, schema)
            sql, skip = _sqlite_select(t, src_table, found, declared), 1
        else:
            sql, skip = _pg_select(t, src_table, schema, found), 0
        pending: list[pa.RecordBatch] = []
        held, part = 0, 0
        with self.conn.cursor() as cur:
            if self.reader == "sqlite":
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
                    _write_part(_arrow_batch(t, sch, head, self.reader, report), t, part, report)
                    part += 1
                    rest = rows.slice(chunk_rows)
                    pending, held = rest.to_batches(), rest.num_rows
        if held:
            rows = pa.Table.from_batches(pending).combine_chunks()
            _write_part(_arrow_batch(t, sch, rows, self.reader, report), t, part, report)
        elif part == 0:  # an empty table: one empty part, as the generic path writes
            _write_part(sch.empty_table(), t, part, report)

    def end(self) -> None:
        self.conn.rollback()  # read only: nothing to keep

    def close(self) -> None:
        self.conn.close()


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
    recoded = [0]
    if reader is None:
        engine = engine or sa.create_engine(url, pool_pre_ping=True)
        _sqlite_decoding(engine, recoded)
    retryable: tuple[type[BaseException], ...] = (OperationalError, DBAPIError, *_arrow_errors())
    started = time.time()
    reports: list[TableReport] = []
    try:
        for attempt in range(1, retries + 2):
            reports = []
            current = TABLES[0].name
            connected = False
            try:
                with contextlib.ExitStack() as stack:
                    src: _GenericSource | _ArrowSource
                    if reader is None:
                        assert engine is not None
                        src = _GenericSource(stack.enter_context(engine.connect()), recoded)
                    else:
                        src = _ArrowSource(url, reader)
                        stack.callback(src.close)
                    writer = _PartWriter()
                    stack.callback(writer.close)
                    connected = True
                    actual = {n.lower(): n for n in src.table_names(schema)}
                    missing = [t.name for t in TABLES if t.name.lower() not in actual]
                    if missing:
                        raise ExtractError(f"source lacks required table(s): {', '.join(missing)}")
                    for t in TABLES:
                        current = t.name
                        src_table = actual[t.name.lower()]
                        report = TableReport(
                            t.name, attempts=attempt, dir=partial / t.name, writer=writer
                        )
                        t0 = time.time()
                        cols = src.column_names(src_table, schema)
                        found, report.missing_optional = _resolve_columns(t, cols, cms)
                        report.aliased = {k: v for k, v in found.items() if k != v}
                        report.extra_columns = _extra_columns(cols, found)
                        if report.dir.exists():
                            shutil.rmtree(report.dir)
                        private_dir(report.dir)
                        src.read(t, src_table, schema, found, chunk_rows, report)
                        report.seconds = round(time.time() - t0, 3)
                        _say_table(say, report)
                        reports.append(report)
                    writer.drain()
                    src.end()
                break
            except retryable as exc:
                if attempt > retries:
                    what = f"reading {current}" if reports or connected else "connecting"
                    raise ExtractError(
                        f"{what} failed after {attempt} attempts: {type(exc).__name__}: "
                        f"{_driver_line(exc)}"
                    ) from exc
                say(
                    f"  {current}: connection problem ({type(exc).__name__}); "
                    f"retry {attempt} of {retries} (the whole read restarts)"
                )
                if engine is not None:
                    engine.dispose()
                time.sleep(retry_wait * attempt)
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
                    "unparseable_ids": r.unparseable_ids,
                    "reformatted_dates": r.reformatted_dates,
                    "control_characters": r.control_characters,
                    "recoded_text": r.recoded_text,
                    "extra_columns": r.extra_columns,
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
        if engine is not None:
            engine.dispose()
    return dest


def _driver_line(exc: BaseException) -> str:
    """The driver's own first line (e.g. 'role "x" does not exist'), without SQLAlchemy's
    statement and background link; the caller scrubs any password (pipeline.SourceUnavailable)."""
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [""])[0][:300]


def _say_table(say: Callable[[str], None], report: TableReport) -> None:
    if report.missing_optional:
        say(
            f"  {report.table}: optional column(s) absent, read as null: "
            f"{', '.join(report.missing_optional)}"
        )
    notes = [
        f"{what} {sum(d.values()) if isinstance(d, dict) else d}"
        for what, d in (
            ("unparseable dates", report.unparseable_dates),
            ("reformatted dates", report.reformatted_dates),
            ("control characters removed", report.control_characters),
            ("non-UTF-8 values recoded", report.recoded_text),
        )
        if d
    ]
    say(f"  {report.table}: {report.rows:,} rows" + (f" ({'; '.join(notes)})" if notes else ""))


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
