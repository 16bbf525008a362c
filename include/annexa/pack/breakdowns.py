"""ChAT-style views of each published list (issue 12.2): volumes per month, timeliness
distributions, breakdowns by age band, gender, ethnicity and team, and worker caseloads.

The vocabulary is Data to Insight's ChAT (the Excel tool most LAs use to see their Annex A as
Ofsted does): per list, how many, how quickly, and for whom. Inputs are the list files of the
published return (``annexa.pack.diff.read_list``: the CSVs' text, or a build's Parquet rendered
the same way), so the numbers are exactly what inspectors were sent. Everything returned is
counts (no child ids), so the aggregate-only view can show it with small numbers suppressed.

* **Volumes**: rows per calendar month of the list's main date (contact, referral, assessment
  start, S47 start; starts of CIN episodes, CP plans and periods of care): the months of the
  6-month window for the event lists 1-5, the 12 months to the as-at date for Lists 6-8.
* **Timeliness** (working days, ``annexa.core.calendar``): List 4 assessment start to
  authorisation against 45, List 5 S47 start to ICPC against 15, List 2 early help assessment
  start to completion (calendar days are not a standard there, so working days, no line).
  Still-open work is counted apart as "open".
* **Breakdowns**: age band at the as-at date (the list's Age column; DfE's bands), gender,
  ethnicity, team (the allocated team, where the list has one; blank: "unallocated"), and the
  contact and referral sources; beyond the 10 largest categories the rest are summed.
* **Caseloads**: per allocated worker (and team), the children open in List 6 (CIN, which
  includes CP and CLA), List 7 (CP plan open), List 8 (looked after), List 9 (care leavers), and
  the distinct children across them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from pathlib import Path
from typing import Any

from annexa import reference
from annexa.core.calendar import FIRST_YEAR, LAST_YEAR, OrdinalCalendar, working_days
from annexa.core.dates import Windows
from annexa.core.text import is_neutralised
from annexa.pack.diff import read_list

MONTHS = 12
TOP = 10  # categories shown per breakdown; the rest are summed
EVENT_LISTS = frozenset({1, 2, 3, 4, 5})  # rows dated in W6: volumes over its months only
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 1", 0, 0),
    ("1-4", 1, 4),
    ("5-9", 5, 9),
    ("10-15", 10, 15),
    ("16-17", 16, 17),
    ("18+", 18, 200),
)
UNKNOWN = "not recorded"
UNALLOCATED = "unallocated"

# list -> (main date column, what a row is); lists 10 and 11 have no ChAT-style view here
MAIN_DATE: dict[int, tuple[str, str]] = {
    1: ("date_of_contact", "contacts"),
    2: ("assessment_start_date", "early help assessments started"),
    3: ("date_of_referral", "referrals"),
    4: ("assessment_start_date", "assessments started"),
    5: ("s47_start_date", "S47 enquiries started"),
    6: ("cin_start_date", "CIN episodes started"),
    7: ("cp_plan_start_date", "CP plans started"),
    8: ("date_started_looked_after", "periods of care started"),
    9: ("", "care leavers"),
}
# list -> (start column, end column, standard in working days or None, bins' upper bounds)
TIMELINESS: dict[int, tuple[str, str, int | None, tuple[int, ...], str]] = {
    4: (
        "assessment_start_date",
        "assessment_authorisation_date",
        45,
        (10, 20, 30, 40, 45, 60, 90),
        "Assessment start to authorisation",
    ),
    5: (
        "s47_start_date",
        "icpc_date",
        15,
        (5, 10, 15, 20, 30),
        "S47 start to initial child protection conference",
    ),
    2: (
        "assessment_start_date",
        "assessment_completion_date",
        None,
        (10, 20, 30, 45, 60),
        "Early help assessment start to completion",
    ),
}
# list -> the column that, blank, means the child is open at the as-at date
OPEN_WHEN_BLANK = {
    6: "cin_closure_date",
    7: "cp_plan_end_date",
    8: "date_ceased_looked_after",
    9: "",
}
CASELOAD_LISTS = (6, 7, 8, 9)


@functools.cache
def _calendar() -> OrdinalCalendar:
    return OrdinalCalendar(
        dt.date(FIRST_YEAR, 1, 1).toordinal(), dt.date(LAST_YEAR, 12, 31).toordinal()
    )


def wd(start: dt.date, end: dt.date) -> int:
    """WD(start, end) by look-up (many pairs at large), the rule's own loop outside the span."""
    cal, s, e = _calendar(), start.toordinal(), end.toordinal()
    if cal.first <= min(s, e) and max(s, e) <= cal.last:
        return cal.wd(s, e)
    return working_days(start, end)


def uk_date(text: str | None) -> dt.date | None:
    """DD/MM/YYYY (the published CSVs) to a date; anything else None."""
    if not text or len(text) != 10 or text[2] != "/" or text[5] != "/":
        return None
    try:
        return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
    except ValueError:
        return None


def shown(text: str | None) -> str:
    """A published text value as people read it: the CSV formula guard undone."""
    text = text or ""
    return text[1:] if is_neutralised(text) else text


def age_band(text: str | None) -> str:
    try:
        age = int(str(text))
    except (TypeError, ValueError):
        return UNKNOWN
    for label, lo, hi in AGE_BANDS:
        if lo <= age <= hi:
            return label
    return UNKNOWN


def month_keys(as_at: dt.date, months: int = MONTHS) -> list[str]:
    """'YYYY-MM' of the ``months`` calendar months ending with the as-at date's, oldest first."""
    y, m = as_at.year, as_at.month
    out = []
    for _ in range(months):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _counts(values, order: list[str] | None = None) -> list[list[Any]]:
    """[[label, count], ...]: in ``order`` when given (zeros kept), else largest first, the
    categories beyond the first ``TOP`` summed as "all others (n)"."""
    c = Counter(values)
    if order is not None:
        rest = sorted(k for k in c if k not in order)
        return [[k, c.get(k, 0)] for k in order] + [[k, c[k]] for k in rest]
    ranked = [[k, n] for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]
    if len(ranked) > TOP + 1:
        rest = ranked[TOP:]
        ranked = ranked[:TOP] + [[f"all others ({len(rest)})", sum(n for _, n in rest)]]
    return ranked


def is_open(number: int, row: dict[str, str]) -> bool:
    col = OPEN_WHEN_BLANK.get(number)
    return col is not None and (col == "" or not row.get(col))


def timeliness(number: int, rows: list[dict[str, str]]) -> dict[str, Any] | None:
    spec = TIMELINESS.get(number)
    if spec is None:
        return None
    start_col, end_col, standard, bounds, title = spec
    labels, lo = [], 0
    for hi in bounds:
        labels.append(f"{lo}-{hi}")
        lo = hi + 1
    labels.append(f"{lo}+")
    bins: Counter[str] = Counter()
    done = within = open_ = 0
    for r in rows:
        start, end = uk_date(r.get(start_col)), uk_date(r.get(end_col))
        if start is None:
            continue
        if end is None:
            open_ += 1
            continue
        days = wd(start, end)
        done += 1
        within += standard is not None and days <= standard
        idx = next((i for i, hi in enumerate(bounds) if days <= hi), len(bounds))
        bins[labels[idx]] += 1
    return {
        "title": title,
        "unit": "working days",
        "standard": standard,
        "bins": [[label, bins.get(label, 0)] for label in labels],
        "completed": done,
        "within": within if standard is not None else None,
        "open": open_,
    }


def list_view(number: int, rows: list[dict[str, str]], as_at: dt.date) -> dict[str, Any]:
    """One list's ChAT-style numbers (counts only)."""
    spec = reference.list_spec(number, "later")
    keys = {c.key for c in spec.columns}
    date_col, noun = MAIN_DATE.get(number, ("", "rows"))
    months = month_keys(as_at)
    if number in EVENT_LISTS:
        w6 = Windows.for_date(as_at).w6_start
        months = [m for m in months if m >= f"{w6.year:04d}-{w6.month:02d}"]
    volumes = None
    if date_col:
        per: Counter[str] = Counter()
        for r in rows:
            d = uk_date(r.get(date_col))
            if d is not None:
                per[f"{d.year:04d}-{d.month:02d}"] += 1
        volumes = [[m, per.get(m, 0)] for m in months]
    opened = [r for r in rows if is_open(number, r)] if number in OPEN_WHEN_BLANK else None
    breakdowns = {
        "age band": _counts(
            (age_band(r.get("age")) for r in rows), [b[0] for b in AGE_BANDS] + [UNKNOWN]
        ),
        "gender": _counts(shown(r.get("gender")) or UNKNOWN for r in rows),
        "ethnicity": _counts(shown(r.get("ethnicity")) or UNKNOWN for r in rows),
    }
    if "allocated_team" in keys:
        breakdowns["team"] = _counts(shown(r.get("allocated_team")) or UNALLOCATED for r in rows)
    if number == 1 and "contact_source" in keys:
        breakdowns["contact source"] = _counts(
            shown(r.get("contact_source")) or UNKNOWN for r in rows
        )
    if number == 3 and "referral_source" in keys:
        breakdowns["referral source"] = _counts(
            shown(r.get("referral_source")) or UNKNOWN for r in rows
        )
    # a blank age band row (zero) is noise when no row lacks an age
    breakdowns["age band"] = [b for b in breakdowns["age band"] if b[0] != UNKNOWN or b[1]]
    return {
        "list": number,
        "title": spec.title,
        "rows": len(rows),
        "noun": noun,
        "open": None if opened is None else len(opened),
        "volumes": volumes,
        "timeliness": timeliness(number, rows),
        "breakdowns": breakdowns,
    }


def caseloads(lists: dict[int, list[dict[str, str]]]) -> list[dict[str, Any]]:
    """Per allocated worker: open children by list and distinct children, largest first."""
    per: dict[tuple[str, str], dict[str, Any]] = {}
    for number in CASELOAD_LISTS:
        for r in lists.get(number) or []:
            if not is_open(number, r):
                continue
            worker = shown(r.get("allocated_worker"))
            if not worker:
                continue
            team = shown(r.get("allocated_team")) or UNALLOCATED
            entry = per.setdefault((worker, team), {"by_list": Counter(), "children": set()})
            entry["by_list"][number] += 1
            entry["children"].add(r.get("child_unique_id") or "")
    out: list[dict[str, Any]] = [
        {
            "worker": worker,
            "team": team,
            "by_list": {str(n): e["by_list"].get(n, 0) for n in CASELOAD_LISTS},
            "children": len(e["children"]),
        }
        for (worker, team), e in per.items()
    ]
    out.sort(key=lambda x: (-x["children"], x["worker"], x["team"]))
    return out


def unallocated(lists: dict[int, list[dict[str, str]]]) -> dict[str, int]:
    """Open children with no allocated worker, by list."""
    return {
        str(n): sum(
            1 for r in lists.get(n) or [] if is_open(n, r) and not shown(r.get("allocated_worker"))
        )
        for n in CASELOAD_LISTS
    }


def breakdowns(files: dict[int, Path], as_at: dt.date) -> dict[str, Any]:
    """The ChAT-style views of a return's lists (``{list number: file}``)."""
    lists = {n: read_list(n, p) for n, p in sorted(files.items())}
    return {
        "as_at": as_at.isoformat(),
        "months": month_keys(as_at),
        "lists": [list_view(n, rows, as_at) for n, rows in lists.items() if n in MAIN_DATE],
        "caseloads": caseloads(lists),
        "unallocated": unallocated(lists),
    }
