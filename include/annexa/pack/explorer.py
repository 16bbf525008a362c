"""The offline explorer (issue 12.3, 12.4): one self-contained HTML file holding every list of a
published return, for the analyst in the inspection room with a laptop and no server.

It answers the inspectors' ad-hoc questions without Excel: filter and sort any list by a date
range, source, team, worker, any coded column or a child id; "the latest N"; export exactly the
filtered rows to CSV (a Blob, saved by the browser). A child's journey shows every row of that
child in every list, in list order, with the worker and dates; the reverse shows every child of
a worker or team, with the lists they are open in.

Safety. The page is child-level: it carries the full pack's confidentiality banner and is
written owner-only (``annexa.core.files``); it is never made for the aggregate-only view. The
data are the published CSVs' text, embedded as JSON through ``templating.json_for_script`` (no
value can close the element or open a comment); the script (``templates/explorer.js``, inlined)
writes values with ``textContent`` only, never as markup, and is the only script the
Content-Security-Policy allows (by its hash): no network, no outside file. Exported cells are
the published text, so free-text and id cells keep the CSV formula guard
(``annexa.core.text.csv_safe``); the page shows them with the guard undone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from annexa import reference
from annexa.core import templating
from annexa.core.files import write_text
from annexa.pack.breakdowns import MAIN_DATE
from annexa.pack.diff import published_csvs, read_list
from annexa.pack.values import fmt_date, fmt_datetime

TEMPLATE = "explorer.html.j2"
SCRIPT = "explorer.js"
DICTIONARY_TYPES = frozenset({"code", "text", "integer"})
FILTER_COLUMNS = {  # column key -> the filter it feeds
    "contact_source": "source",
    "referral_source": "source",
    "allocated_team": "team",
    "allocated_worker": "worker",
    "allocated_personal_advisor": "worker",
}


def list_data(number: int, path: Path) -> dict[str, Any]:
    """One list as the script reads it: columns (key, header, type) and rows of text."""
    rows = read_list(number, path)
    spec = reference.list_spec(number, "later")
    types = {c.key: c.type for c in spec.columns}
    headers = {c.key: c.header for c in spec.columns}
    keys = list(rows[0]) if rows else [c.key for c in spec.columns]
    date_col = MAIN_DATE.get(number, ("", ""))[0]
    if not date_col:  # List 9, 10, 11: the first date column, if any
        date_col = next((k for k in keys if types.get(k) == "date"), "")
    cols: list[dict[str, Any]] = [
        {"k": k, "h": headers.get(k, k), "t": types.get(k, "text"), "f": FILTER_COLUMNS.get(k, "")}
        for k in keys
    ]
    table: list[list[Any]] = [[r.get(k, "") for k in keys] for r in rows]
    # columns with few distinct values (codes, teams, workers, ages, dates of birth are not)
    # travel as a dictionary and indices: the file is about half the size at large
    for i, c in enumerate(cols):
        if c["t"] not in DICTIONARY_TYPES and not c["f"]:
            continue
        values = sorted({r[i] for r in table})
        if len(values) > max(16, len(table) // 4):
            continue
        index = {v: j for j, v in enumerate(values)}
        c["d"] = values
        for r in table:
            r[i] = index[r[i]]
    # dates travel as whole days after the column's earliest date (a date is more than half
    # of the file as DD/MM/YYYY text; a day number is 1-4 digits); the script turns them back
    # into the same text once per distinct day
    for i, c in enumerate(cols):
        if c["t"] != "date" or "d" in c:
            continue
        days = _dates({r[i] for r in table} - {""})
        if not days:  # no date, or a value that is not DD/MM/YYYY: the column stays text
            continue
        base = min(days.values())
        c["b"] = base.isoformat()
        code: dict[str, Any] = {v: (d - base).days for v, d in days.items()}
        code[""] = ""
        for r in table:
            r[i] = code[r[i]]
    return {"n": number, "title": spec.title, "date": date_col, "cols": cols, "rows": table}


def _dates(values: set[str]) -> dict[str, dt.date] | None:
    """Each published DD/MM/YYYY text of a column with its date, or None when one is not."""
    out = {}
    for v in values:
        if not isinstance(v, str) or len(v) != 10 or v[2] != "/" or v[5] != "/":
            return None
        try:
            out[v] = dt.date(int(v[6:]), int(v[3:5]), int(v[:2]))
        except ValueError:
            return None
    return out


def explorer_data(release: Path, la_code: str, la_name: str, as_at: str) -> dict[str, Any]:
    return {
        "la_code": la_code,
        "la_name": la_name,
        "as_at": as_at,
        "lists": [list_data(n, p) for n, p in sorted(published_csvs(release).items())],
    }


def render_explorer(data: dict[str, Any], generated_at: str | None = None) -> str:
    la = data.get("la_name") or data.get("la_code") or ""
    return templating.render(
        TEMPLATE,
        title=f"Explorer - {la} - as at {fmt_date(data.get('as_at'))}",
        la=la,
        la_code=data.get("la_code"),
        as_at=fmt_date(data.get("as_at")),
        generated=fmt_datetime(generated_at or dt.datetime.now(dt.UTC).isoformat()),
        rows=sum(len(x["rows"]) for x in data["lists"]),
        script_hash=templating.script_hash(SCRIPT),
        data=templating.json_for_script(data),
    )


def write_explorer(
    path: str | Path, release: Path, la_code: str, la_name: str, as_at: str, generated_at=None
) -> Path:
    """Write the explorer of the return published in ``release``, owner-only."""
    data = explorer_data(Path(release), la_code, la_name, as_at)
    return write_text(path, render_explorer(data, generated_at))
