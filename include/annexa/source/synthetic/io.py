"""Create the contract tables at any SQLAlchemy URL and bulk-write rows into them.

Why: the synthetic CMS must load millions of rows quickly without holding them all. SQLite gets
``executemany`` in large transactions with journalling and syncing off on that connection;
PostgreSQL gets psycopg 3 ``COPY ... FROM STDIN``; anything else falls back to SQLAlchemy
``insert()`` in chunks. ``BackgroundWriter`` does the writing in a thread of its own, so that
the database's work (SQLite's and psycopg's C code, which release the GIL) overlaps the
simulation of the next cohort. Dates arrive from the model as integer ordinals and are
converted here (ISO text for SQLite, ``date`` objects for drivers that adapt them).
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Sequence
from functools import cache
from typing import Any

import sqlalchemy as sa

from annexa.source.contract import TABLES, Table

WORKER_ID_COLUMNS = frozenset(
    {
        "cine_referral_worker_id",
        "cina_assessment_worker_id",
        "cinp_cin_plan_worker_id",
        "s47e_s47_completed_by_worker_id",
        "earl_episode_worker_id",
        "clea_care_leaver_worker_id",
        "clea_care_leaver_personal_advisor",
        "invo_professional_id",
    }
)


def sql_type(table: Table, column: str, messy: bool) -> sa.types.TypeEngine:
    """SQL type of a contract column from its logical type (spec source_contract §2.1).

    Messy mode widens flags to VARCHAR(5): Liquidlogic-style YES/TRUE spellings do not fit in 2.
    """
    logical = table.column(column).type
    if logical == "id":
        return sa.String(100) if column in WORKER_ID_COLUMNS else sa.String(48)
    if logical == "date":
        return sa.Date()
    if logical == "flag":
        return sa.String(5 if messy else 2)
    if logical == "code":
        return sa.String(100)
    if logical == "text":
        return sa.String(300)
    if logical == "json":
        return sa.Text()
    if logical == "int":
        return sa.Integer()
    if logical == "float":
        return sa.Double()
    raise ValueError(f"unknown logical type {logical!r} for {table.name}.{column}")


def metadata(messy: bool) -> sa.MetaData:
    md = sa.MetaData()
    for t in TABLES:
        sa.Table(
            t.name,
            md,
            *[
                sa.Column(
                    c.name,
                    sql_type(t, c.name, messy),
                    primary_key=(c.name == t.key),
                    nullable=(c.name != t.key),
                )
                for c in t.columns
            ],
        )
    return md


def recreate(engine: sa.Engine, messy: bool) -> sa.MetaData:
    """Drop every contract table that exists, then create them all afresh."""
    md = metadata(messy)
    with engine.begin() as conn:
        md.drop_all(conn, checkfirst=True)
        md.create_all(conn)
    return md


@cache
def _iso(o: int) -> str:
    return dt.date.fromordinal(o).isoformat()


@cache
def _date(o: int) -> dt.date:
    return dt.date.fromordinal(o)


_DATE_INDEX = {
    t.name: tuple(i for i, c in enumerate(t.columns) if c.type == "date") for t in TABLES
}


def convert(table: str, rows: Sequence[Sequence[Any]], iso: bool) -> list[tuple[Any, ...]]:
    """Rows with ordinal dates turned into ISO text (``iso``) or ``datetime.date``."""
    idx = _DATE_INDEX[table]
    f = _iso if iso else _date
    out: list[tuple[Any, ...]] = []
    for r in rows:
        if idx:
            r = list(r)
            for i in idx:
                v = r[i]
                if v is not None:
                    r[i] = f(v)
        out.append(tuple(r))
    return out


class Writer:
    """Bulk writer bound to one engine; ``write(table, rows)`` then ``commit()`` per batch."""

    def __init__(self, engine: sa.Engine, md: sa.MetaData) -> None:
        self.engine = engine
        self.md = md
        self.dialect = engine.dialect.name
        self.raw: Any = None
        self.cur: Any = None
        if self.dialect in ("sqlite", "postgresql") and self._is_psycopg_or_sqlite():
            self.raw = engine.raw_connection()
            self.cur = self.raw.cursor()
            if self.dialect == "sqlite":
                self.cur.execute("PRAGMA journal_mode=OFF")
                self.cur.execute("PRAGMA synchronous=OFF")
        self._conn: sa.Connection | None = None

    def _is_psycopg_or_sqlite(self) -> bool:
        return self.dialect == "sqlite" or self.engine.dialect.driver == "psycopg"

    def write(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        cols = [c.name for c in self.md.tables[table].columns]
        if self.dialect == "sqlite" and self.cur is not None:
            data = convert(table, rows, iso=True)
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            self.cur.executemany(sql, data)
        elif self.cur is not None:
            data = convert(table, rows, iso=False)
            with self.cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
                for r in data:
                    cp.write_row(r)
        else:
            data = convert(table, rows, iso=False)
            if self._conn is None:
                self._conn = self.engine.connect()
            tbl = self.md.tables[table]
            for i in range(0, len(data), 5000):
                self._conn.execute(
                    tbl.insert(), [dict(zip(cols, r, strict=True)) for r in data[i : i + 5000]]
                )

    def commit(self) -> None:
        if self.raw is not None:
            self.raw.commit()
        elif self._conn is not None:
            self._conn.commit()

    def close(self) -> None:
        try:
            self.commit()
        finally:
            if self.cur is not None:
                self.cur.close()
            if self.raw is not None:
                self.raw.close()
            if self._conn is not None:
                self._conn.close()


class BackgroundWriter:
    """A ``Writer`` run in a thread of its own: ``write_batch`` queues a batch (at most
    ``depth`` ahead, which bounds memory) and returns; the thread writes the batches in the
    order given, each table's rows in turn and then a commit, on a connection it opens itself
    (a sqlite3 connection belongs to its thread). An error in the thread is raised by the next
    call, and by ``close``."""

    def __init__(self, engine: sa.Engine, md: sa.MetaData, depth: int = 2) -> None:
        self._q: queue.Queue[list[tuple[str, Sequence[Sequence[Any]]]] | None] = queue.Queue(
            maxsize=depth
        )
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(engine, md), name="cms-writer", daemon=True
        )
        self._thread.start()

    def _run(self, engine: sa.Engine, md: sa.MetaData) -> None:
        writer: Writer | None = None
        try:
            writer = Writer(engine, md)
        except BaseException as exc:  # noqa: BLE001 (raised in the caller's thread)
            self._error = exc
        while (batch := self._q.get()) is not None:
            if writer is None or self._error is not None:
                continue  # drain; the caller sees the error on its next call
            try:
                for table, rows in batch:
                    writer.write(table, rows)
                writer.commit()
            except BaseException as exc:  # noqa: BLE001 (raised in the caller's thread)
                self._error = exc
        if writer is not None:
            try:
                writer.close()
            except BaseException as exc:  # noqa: BLE001 (raised in the caller's thread)
                self._error = self._error or exc

    def write_batch(self, batch: list[tuple[str, Sequence[Sequence[Any]]]]) -> None:
        """Queue ``(table, rows)`` pairs to be written in this order, then committed."""
        if self._error is not None:
            raise self._error
        self._q.put(batch)

    def close(self) -> None:
        """Write what is queued, commit, close the connection; raise the thread's error."""
        if self._thread.is_alive():
            self._q.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error
