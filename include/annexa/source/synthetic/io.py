"""Create the contract tables at any SQLAlchemy URL and bulk-write rows into them.

Why: the synthetic CMS must load millions of rows quickly without holding them all. SQLite gets
``executemany`` in large transactions with journalling and syncing off on that connection;
PostgreSQL gets psycopg 3 ``COPY ... FROM STDIN``; anything else falls back to SQLAlchemy
``insert()`` in chunks. Dates arrive from the model as integer ordinals and are converted here
(ISO text for SQLite, ``date`` objects for drivers that adapt them).
"""

from __future__ import annotations

import datetime as dt
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
