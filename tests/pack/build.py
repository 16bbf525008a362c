"""Build a DuckDB connection for an indicator scenario, as runner.build does, and keep it open.

SSD rows -> SQLite CMS (golden.cms.make_cms) -> extract -> connect / register_snapshot /
register_reference / run_models; the indicator SQL then runs on the same connection.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from golden.cms import make_cms

from annexa.core.dates import Windows
from annexa.core.paths import sql_dir
from annexa.pack.indicators import run_indicator
from annexa.source.extract import extract
from annexa.transform.mapping import Mapping
from annexa.transform.runner import connect, register_reference, register_snapshot, run_models


def build_connection(
    folder: Path, rows: dict[str, list[dict]], as_at: dt.date, *, version: str = "later"
) -> duckdb.DuckDBPyConnection:
    url = make_cms(folder / "cms", rows)
    snap = extract(url, folder / "snapshot")
    con = connect(folder / "work")
    register_snapshot(con, snap)
    register_reference(
        con,
        Windows.for_date(as_at),
        la_code="999",
        la_name="Synthshire",
        version=version,
        mapping=Mapping(),
    )
    run_models(con)
    return con


def indicator(con: duckdb.DuckDBPyConnection, ind_id: str) -> dict:
    """One indicator's row (indicator_id, numerator, denominator, value, period_*)."""
    return run_indicator(con, sql_dir() / "indicators" / f"{ind_id.lower()}.sql")


def merge(*parts: dict[str, list[dict]]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for p in parts:
        for table, recs in p.items():
            out.setdefault(table, []).extend(recs)
    return out
