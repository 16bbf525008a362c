"""Source check frames: one small Parquet file per SSD table, validated by its suite.

Built in the build task, where the snapshot is open in DuckDB: per table, the key, every date as
a day number, id and code columns normalised for the placeholder check (``_text__<col>``), and
whether the person, worker and team ids join (``_joins__<col>``), which no single-table
expectation can see. Great Expectations then validates each frame with the table's suite
(``expectations/ssd_<table>.json``). Identifiers come only from the source contract.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from annexa.core.files import private_dir
from annexa.source.contract import TABLES, Table
from annexa.validate.suites import join_columns, person_column


def _frame_sql(table: Table) -> str:
    t = f"raw_{table.name}"
    cols = [f'cast("{table.key}" as varchar) as "{table.key}"']
    person = person_column(table)
    if person:
        optional = table.column(person).need == "O"
        cols.append(
            f'case when clean_text("{person}") is null then {str(optional).lower()} '
            f'else clean_text("{person}") in (select person_id from _persons) end '
            f'as "_joins__{person}"'
        )
        cols.append(f'clean_text("{person}") as _child_id')
    else:
        cols.append("cast(null as varchar) as _child_id")
    for col, kind in join_columns(table):
        known = "_teams" if kind == "team" else "_workers"
        cols.append(
            f'case when clean_text("{col}") is null then true '
            f'else clean_text("{col}") in (select id from {known}) end as "_joins__{col}"'
        )
    for c in table.columns:
        if c.type == "date":
            cols.append(
                f'cast(cast("{c.name}" as date) - date \'1970-01-01\' as integer) as "{c.name}"'
            )
        elif c.type in ("id", "code") and c.name != table.key:
            cols.append(f'lower(trim(cast("{c.name}" as varchar))) as "_text__{c.name}"')
    return f"select {', '.join(cols)} from {t}"


def write_check_frames(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, str]:
    """Write ``<folder>/<table>.parquet`` for every SSD table; returns table -> path."""
    folder = private_dir(folder)
    con.execute(
        "create or replace temp table _persons as "
        "select distinct person_id from stg_ssd__person where person_id is not null"
    )
    con.execute("""
        create or replace temp table _workers as
        select distinct clean_text(prof_professional_id) as id from raw_ssd_professionals
        union select distinct clean_text(prof_staff_id) from raw_ssd_professionals
        union select distinct raw from int_workers__names where worker_name is not null
    """)
    con.execute(
        "create or replace temp table _teams as "
        "select distinct team_id as id from stg_ssd__department"
    )
    out = {}
    for table in TABLES:
        path = folder / f"{table.name}.parquet"
        # DuckDB's own writer (parallel); the folder is owner-only (0700) and the file is
        # made owner-only as soon as it exists
        lit = str(path).replace("'", "''")
        con.execute(f"copy ({_frame_sql(table)}) to '{lit}' (format parquet)")
        os.chmod(path, 0o600)
        out[table.name] = str(path)
    return out
