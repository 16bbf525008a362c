"""Hand-built CMS scenarios for golden tests: write a few SSD rows, build the lists for real.

Scenarios go through the same path as production: SQLite CMS -> extract -> DuckDB SQL -> Parquet.
Only the rows a scenario names are written; every other column is null.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.parquet as pq
import sqlalchemy as sa

from annexa.core.dates import Windows
from annexa.source.contract import TABLES_BY_NAME, metadata
from annexa.source.extract import extract
from annexa.transform.mapping import Mapping, load_mapping
from annexa.transform.runner import build


def make_cms(folder: Path, rows: dict[str, list[dict]]) -> str:
    """Create every contract table in a new SQLite file and insert ``rows``; returns its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'cms.db'}"
    return write_cms(url, rows)


def write_cms(url: str, rows: dict[str, list[dict]]) -> str:
    """(Re)create every contract table at any SQLAlchemy URL and insert ``rows``."""
    engine = sa.create_engine(url)
    md = metadata()
    md.drop_all(engine)
    md.create_all(engine)
    with engine.begin() as conn:
        for table, recs in rows.items():
            cols = TABLES_BY_NAME[table].column_names
            for r in recs:
                unknown = set(r) - set(cols)
                assert not unknown, f"{table} has no column(s) {unknown}"
            if recs:
                conn.execute(md.tables[table].insert(), [{c: r.get(c) for c in cols} for r in recs])
    engine.dispose()
    return url


def build_lists(
    folder: Path,
    rows: dict[str, list[dict]],
    as_at: dt.date,
    *,
    version: str = "later",
    mapping: Mapping | str | Path | None = None,
    la_code: str = "999",
    lists: set[int] | None = None,
) -> dict[int, list[dict]]:
    """Build the Annex A lists for a scenario; returns list number -> rows (dicts, in order)."""
    url = make_cms(folder / "cms", rows)
    snap = extract(url, folder / "snapshot")
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    result = build(
        snap,
        folder / "work",
        Windows.for_date(as_at),
        la_code=la_code,
        la_name="Synthshire",
        version=version,
        mapping=mapping,
        only_lists=lists,
    )
    return {n: pq.read_table(p).to_pylist() for n, p in result.lists.items()}


_DEFAULT_DOB = dt.date(2015, 5, 1)


def person(pid: str, dob: dt.date | None = _DEFAULT_DOB, **kw) -> dict:
    """A person row with sensible defaults (girl, White British, born 2015-05-01);
    pass ``dob=None`` for no recorded date of birth."""
    return {
        "pers_person_id": pid,
        "pers_gender": "F",
        "pers_ethnicity": "WBRI",
        "pers_dob": dob,
        **kw,
    }


def published(row: dict) -> dict:
    """The published columns of an output row (hidden '_' columns dropped)."""
    return {k: v for k, v in row.items() if not k.startswith("_")}
