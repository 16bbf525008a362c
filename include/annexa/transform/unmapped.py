"""Unmapped CMS values: every raw value of a coded field that the mapping cannot turn into a code.

Issue 3: "a value with no mapping is reported by list, column and value with a count, never
silently blanked". The lists leave such cells blank (decision P6) and validation fails on blanks
in required columns; this report says *why* and what to add to the LA's mapping file. Values are
the CMS's own codes and descriptions (never free text about a child); counts are source rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from annexa import reference

# A field read only when its primary field gives no code: unmapped there matters only then.
FALLBACK_FOR = {
    "ssd_person.pers_sex": ("ssd_person.pers_gender", "pers_gender"),
    "ssd_contacts.cont_contact_source_desc": (
        "ssd_contacts.cont_contact_source_code",
        "cont_contact_source_code",
    ),
    "ssd_cin_episodes.cine_referral_source_desc": (
        "ssd_cin_episodes.cine_referral_source_code",
        "cine_referral_source_code",
    ),
}

# Raw values longer than this are cut in the report (a code or description is far shorter).
_MAX_VALUE = 80


@dataclass(frozen=True)
class Unmapped:
    field: str  # SSD table.column
    value: str  # the raw CMS value, as held (trimmed)
    rows: int  # source rows holding it
    feeds: tuple[str, ...]  # "List N: column key" this value would fill

    def to_dict(self) -> dict:
        return asdict(self) | {"feeds": list(self.feeds)}


def find_unmapped(con: duckdb.DuckDBPyConnection) -> list[Unmapped]:
    """Scan every coded field of the snapshot on ``con`` (raw tables, macros and ref tables
    registered by the runner); returns unmapped values, most frequent first."""
    feeds = reference.field_feeds()
    present = {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }
    out: list[Unmapped] = []
    for field in sorted(reference.field_sets()):
        table, column = field.split(".")
        if f"raw_{table}" not in present:
            continue
        cols = {r[0] for r in con.execute(f"describe raw_{table}").fetchall()}
        if column not in cols:  # an optional column the CMS does not have
            continue
        # map each distinct raw value once (not every source row)
        params: list[str] = [field]
        primary_col, primary_ok = "null", ""
        if field in FALLBACK_FOR and FALLBACK_FOR[field][1] in cols:
            primary_field, primary_col = FALLBACK_FOR[field]
            primary_ok = " and map_code(?, p) is null"
            params.append(primary_field)
        rows = con.execute(
            f"""
            with raw_values as (
                select {column} as v, {primary_col} as p, count(*) as n
                from raw_{table}
                where {column} is not null
                group by all
            )
            select trim(cast(v as varchar)) as value, sum(n) as n
            from raw_values
            where clean_text(v) is not null and map_code(?, v) is null{primary_ok}
            group by 1
            order by n desc, value
            """,
            params,
        ).fetchall()
        dests = tuple(f"List {n}: {key}" for n, key in feeds.get(field, ()))
        out += [Unmapped(field, v[:_MAX_VALUE], int(n), dests) for v, n in rows]
    out.sort(key=lambda u: (-u.rows, u.field, u.value))
    return out


def by_list_column(found: list[Unmapped]) -> list[dict]:
    """The report pivoted to what the issue asks for: one row per (list, column, field, value)."""
    rows: list[dict[str, Any]] = []
    for u in found:
        for dest in u.feeds or ("(no list column: rows chosen or counted by it)",):
            lst, _, col = dest.partition(": ")
            rows.append(
                {"list": lst, "column": col, "field": u.field, "value": u.value, "rows": u.rows}
            )
    rows.sort(key=lambda r: (r["list"], r["column"], -r["rows"], r["value"]))
    return rows


def find_2019_renderings(con: duckdb.DuckDBPyConnection, version: str) -> list[dict]:
    """Under ``2019``, source values whose later-only code is written as an older one or left
    out (annex_a §7, D11, D12): one entry per field and code with the count of source rows, so
    each rendering is reported as a warning with a count. Empty under ``later``."""
    if version != "2019":
        return []
    later_only: dict[str, list[tuple[str, str | None]]] = {}  # national set -> (code, as)
    for cl in reference.code_lists().values():
        for code in cl.codes:
            if cl.national_set and not code.valid_in("2019"):
                later_only.setdefault(cl.national_set, []).append((code.national, code.render_2019))
    present = {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }
    out = []
    for field, set_name in sorted(reference.field_sets().items()):
        codes = dict(later_only.get(set_name, []))
        table, column = field.split(".")
        if not codes or f"raw_{table}" not in present:
            continue
        if column not in {r[0] for r in con.execute(f"describe raw_{table}").fetchall()}:
            continue
        rows = con.execute(
            f"""
            select code, count(*) from (
                select map_code(?, {column}) as code from raw_{table} where {column} is not null
            )
            where list_contains(?, code)
            group by code order by code
            """,
            [field, sorted(codes)],
        ).fetchall()
        for code, n in rows:
            out.append(
                {
                    "field": field,
                    "code": code,
                    "rows": int(n),
                    "written_as": codes[code] or "(left out of the list)",
                }
            )
    return out
