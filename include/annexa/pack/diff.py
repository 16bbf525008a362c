"""What changed since the previous published return (issue 5.5): rows added, removed and changed
per Annex A list, so the data team can explain movements.

Inputs. Each return is given as ``{list number: file}``; a file is either a list CSV of a
published return folder (``annex_a_<la>_<as-at>_list_<n>.csv``: Ofsted headers, DD/MM/YYYY
dates, written by ``annexa.publish.workbook.write_csvs``) or a list Parquet from the build.
The CSVs are the input to rely on for the *previous* return: they are the durable artefact of a
publish (the build's Parquet sits in a per-run work folder and is not published), and they hold
exactly what inspectors saw (published columns only, no hidden ``_`` columns). A Parquet is
rendered through the publisher's own CSV formatting before comparing, so a current build's
Parquet compares like for like with a previous return's CSVs.

Row keys (reference/lists.yaml ``grain`` and ``sort``): Lists 6-10 are one row per child, keyed
by ``Child Unique ID``; the event lists 1-5 are keyed by ``Child Unique ID`` and the list's
main date (the second ``sort`` key: contact, assessment start, referral, assessment start, S47
start); List 11 by ``Individual adopter identifier``. Rows that share a key (two contacts for a
child on one day) are matched identical rows first, then in order; a key's surplus rows count as
added or removed. "Changed" = same key, any other published column different (columns present
in only one of the two returns, e.g. after a change of Annex A version, are not compared).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from annexa import reference
from annexa.core.text import is_neutralised
from annexa.publish.publisher import published_dates
from annexa.publish.workbook import csv_value

EXAMPLES = 10
CHILD_LEVEL = frozenset({6, 7, 8, 9, 10})
_CSV_NAME = re.compile(r"^annex_a_.+_(\d{4}-\d{2}-\d{2})_list_(\d+)\.csv$")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_UK_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _spec(number: int) -> reference.ListSpec:
    """The list's layout (the later revision; list keys and sort keys are the same in both)."""
    return reference.list_spec(number, "later")


def _header_keys(number: int) -> dict[str, str]:
    """Every header the list has had (both revisions, both layouts) -> column key."""
    out: dict[str, str] = {}
    for version in reference.VERSIONS:
        try:
            spec = reference.list_spec(number, version)
        except KeyError:
            continue
        for c in spec.columns:
            out.setdefault(c.header, c.key)
            out.setdefault(c.liia_header, c.key)
    return out


def _column_types(number: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for version in reference.VERSIONS:
        try:
            spec = reference.list_spec(number, version)
        except KeyError:
            continue
        for c in spec.columns:
            out.setdefault(c.key, c.type)
    return out


def row_key(number: int) -> tuple[str, ...]:
    """The column keys identifying a row of list ``number``."""
    sort = _spec(number).sort
    if number in CHILD_LEVEL:
        return ("child_unique_id",)
    return tuple(sort[:2])


def read_list(number: int, path: Path) -> list[dict[str, str]]:
    """A list file (published CSV or build Parquet) as rows of published column key -> the
    text the CSV holds ('' for blank)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        headers = _header_keys(number)
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            try:
                header = next(reader)
            except StopIteration:
                return []
            keys = [headers.get(h, h) for h in header]
            return [dict(zip(keys, row, strict=False)) for row in reader]
    types = _column_types(number)
    table = pq.read_table(path)
    cols = [c for c in table.column_names if not c.startswith("_")]
    return [
        {k: csv_value(r[k], types.get(k, "text")) for k in cols}
        for r in table.select(cols).to_pylist()
    ]


def _display(value: str) -> str:
    """Undo the CSV's formula guard for showing an id."""
    if is_neutralised(value):
        return value[1:]
    return value


def _sort_key(key: tuple[str, ...]) -> tuple[str, ...]:
    """Ids as text, DD/MM/YYYY dates in date order."""
    return tuple(f"{v[6:]}-{v[3:5]}-{v[:2]}" if _UK_DATE.match(v) else v for v in key)


def _key_text(key: tuple[str, ...]) -> str:
    return ", ".join(_display(k) for k in key)


def diff_list(number: int, current: list[dict[str, str]], previous: list[dict[str, str]]) -> dict:
    """Counts and example keys for one list."""
    key_cols = row_key(number)
    shared = [k for k in (current[0] if current else {}) if previous and k in previous[0]]
    compared = [k for k in shared if k not in key_cols]

    def grouped(rows: list[dict[str, str]]) -> dict[tuple, list[tuple]]:
        out: dict[tuple, list[tuple]] = {}
        for r in rows:
            key = tuple(r.get(k, "") for k in key_cols)
            out.setdefault(key, []).append(tuple(r.get(k, "") for k in compared))
        return out

    cur, prev = grouped(current), grouped(previous)
    added = removed = changed = 0
    added_ids: list[str] = []
    removed_ids: list[str] = []
    changed_ids: list[str] = []
    for key in sorted(cur.keys() | prev.keys(), key=_sort_key):
        c, p = Counter(cur.get(key, [])), Counter(prev.get(key, []))
        same = c & p
        c_left = sum((c - same).values())
        p_left = sum((p - same).values())
        n_changed = min(c_left, p_left)
        n_added, n_removed = c_left - n_changed, p_left - n_changed
        text = _key_text(key)
        if n_added:
            added += n_added
            added_ids.append(text)
        if n_removed:
            removed += n_removed
            removed_ids.append(text)
        if n_changed:
            changed += n_changed
            changed_ids.append(text)
    return {
        "list": number,
        "title": _spec(number).title,
        "added": added,
        "removed": removed,
        "changed": changed,
        "added_ids": added_ids[:EXAMPLES],
        "removed_ids": removed_ids[:EXAMPLES],
        "changed_ids": changed_ids[:EXAMPLES],
    }


def return_as_at(files: dict[int, Path]) -> str | None:
    """The as-at date (ISO) of a return: its folder's manifest.json, else the CSV file name,
    else a date in the path."""
    for path in files.values():
        manifest = Path(path).parent / "manifest.json"
        if manifest.is_file():
            try:
                as_at = json.loads(manifest.read_text()).get("as_at")
            except (OSError, ValueError):
                as_at = None
            if as_at:
                return str(as_at)
    for path in files.values():
        m = _CSV_NAME.match(Path(path).name) or _DATE.search(str(path))
        if m:
            return m.group(1)
    return None


def published_csvs(folder: Path) -> dict[int, Path]:
    """The list CSVs of a published return folder, by list number."""
    out: dict[int, Path] = {}
    for p in sorted(Path(folder).glob("annex_a_*_list_*.csv")):
        m = _CSV_NAME.match(p.name)
        if m:
            out[int(m.group(2))] = p
    return out


def previous_return(la_dir: Path, as_at: dt.date) -> dict[int, Path] | None:
    """The list CSVs of the latest return published for an as-at date before ``as_at`` in an
    LA's output folder (``<out>/<la>``), or None when there is none."""
    earlier = [d for d in published_dates(Path(la_dir)) if d < as_at]
    return published_csvs(Path(la_dir) / earlier[-1].isoformat()) if earlier else None


def diff_returns(current: dict[int, Path], previous: dict[int, Path] | None) -> dict:
    """Compare two returns list by list; ``previous`` None (no earlier return) gives zeros."""
    numbers = sorted(set(current) | set(previous or {}))
    if previous is None:
        return {
            "previous_as_at": None,
            "lists": [
                {
                    "list": n,
                    "title": _spec(n).title,
                    "added": 0,
                    "removed": 0,
                    "changed": 0,
                    "added_ids": [],
                    "removed_ids": [],
                    "changed_ids": [],
                }
                for n in numbers
            ],
        }
    lists = []
    for n in numbers:
        cur = read_list(n, current[n]) if n in current else []
        prev = read_list(n, previous[n]) if n in previous else []
        lists.append(diff_list(n, cur, prev))
    return {"previous_as_at": return_as_at(previous), "lists": lists}
