"""The pack's first page: the dozen numbers a DCS is asked about, then the biggest movers and the
data-quality warnings of the return (issue 12.1).

Each headline number shows its value, England, statistical neighbours and the LA's own target
(``ANNEXA_BENCHMARKS``), the polarity-aware marker against England, a 12-month sparkline of the
month-end returns and the change since the previous month-end return, with a link to its
definition in the glossary at the end of the pack. Contacts are not an indicator of the spec:
their number is List 1's row count (contacts in the last 6 months), read from each return's
manifest, so its trend comes from the same published returns as the indicators'.

Everything here is plain values for the templates; suppression follows ``annexa.pack.values``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from annexa.pack.indicators import compare
from annexa.pack.values import (
    MARKERS,
    NOT_COMPARED,
    SUPPRESSED,
    as_date,
    below,
    decimals,
    england_value_text,
    fmt_date,
    fmt_number,
    fmt_value,
    history_points,
    marker_parts,
    number,
    suppression,
)

# (indicator id, the headline's short label) in the order a DCS is asked about them
HEADLINE: tuple[tuple[str, str], ...] = (
    ("CONTACTS", "Contacts (6 months)"),
    ("HP02", "Referrals per 10,000 (annualised)"),
    ("HP03", "Re-referrals within 12 months"),
    ("HP05", "Assessments within 45 working days"),
    ("HP08", "S47 enquiries leading to an ICPC"),
    ("HP11", "Child protection plans per 10,000"),
    ("CIC01", "Children in care per 10,000"),
    ("CIC02", "3+ placements in 12 months"),
    ("CIC03", "Long-term placement stability"),
    ("CL01", "Care leavers 19-21 in touch"),
    ("CL02", "Care leavers 19-21 in EET"),
    ("WF05", "Average caseload"),
    ("WF09", "Unallocated cases"),
)
TREND_POINTS = 12
MOVERS = 6
CONTACTS = {
    "id": "CONTACTS",
    "title": "Contacts in the last 6 months",
    "area": "help_and_protection",
    "definition": (
        "Rows of List 1 (contacts dated in the 6 months to the as-at date), as published; not an "
        "indicator of the spec, so no England benchmark."
    ),
    "unit": "count",
    "polarity": "context",
    "marker": "n/a",
}


def contacts_row(pack: dict) -> dict:
    """A pseudo indicator row for the contacts volume (List 1 rows) and its history."""
    volumes = pack.get("volumes") or {}
    value = number((volumes.get(pack.get("as_at")) or {}).get("1"))
    return CONTACTS | {"value": value, "numerator": value, "denominator": None}


def _contacts_history(pack: dict) -> list[dict]:
    return [
        {"as_at": d, "value": number(c.get("1")), "numerator": number(c.get("1"))}
        for d, c in sorted((pack.get("volumes") or {}).items())
    ]


def change_text(delta: float, unit: str | None, previous: float) -> str:
    """'+1.2 pp', '-3 days', '+12 (+4.1%)'."""
    dp = decimals(unit)
    sign = "+" if delta > 0 else ("-" if delta < 0 else "\u00b1")
    mag = fmt_number(abs(delta), dp)
    if unit == "percent":
        return f"{sign}{mag} pp"
    text = f"{sign}{mag}" + {"days": " days", "working_days": " working days"}.get(unit or "", "")
    if unit in ("count", "rate_per_10000", "cases_per_worker") and previous:
        text += f" ({sign}{fmt_number(abs(delta) / abs(previous) * 100, 1)}%)"
    return text


def change(row: dict, points: list[tuple[dt.date, float | None, bool]], as_at: dt.date | None):
    """The change since the latest earlier month-end point (None when there is none to use)."""
    value = None if row["_supp"]["value"] else number(row.get("value"))
    earlier = [(d, v) for d, v, _ in points if as_at is None or d < as_at]
    if value is None or not earlier:
        return None
    since, prev = earlier[-1]
    if prev is None:
        return None
    delta = value - prev
    mark = compare(value, prev, str(row.get("polarity") or "context"))
    symbol, word, css = MARKERS.get(mark, MARKERS["n/a"])
    return {
        "text": change_text(delta, row.get("unit"), prev),
        "since": fmt_date(since),
        "previous": fmt_value(prev, row.get("unit")),
        "symbol": symbol,
        "word": word,
        "css": css,
        "delta": delta,
        "relative": abs(delta) / abs(prev) if prev else (0.0 if delta == 0 else float("inf")),
    }


def benchmark_text(row: dict, key: str) -> str:
    """The latest value an LA added for ``key`` (statistical_neighbours | la), or '-'."""
    b = (row.get("other_benchmarks") or {}).get(key)
    if not b or number(b.get("value")) is None:
        return "\u2013"
    return f"{fmt_value(b['value'], row.get('unit'))} ({b.get('year')})"


def england_short(row: dict) -> str:
    if number(row.get("england_value")) is None:
        return "\u2013"
    text = england_value_text(row)
    if not row.get("england_comparable", True):
        text += NOT_COMPARED
    return text


def _points(pack: dict, row: dict, threshold: int | None):
    if row.get("id") == "CONTACTS":
        fake = {"history": {"CONTACTS": _contacts_history(pack)}}
        return history_points(fake, row, threshold)
    return history_points(pack, row, threshold)


def headline(pack: dict, rows: list[dict], threshold: int | None, sparkline_geometry) -> dict:
    """The headline tiles, the movers and the data-quality warnings, as template values."""
    as_at = as_date(pack.get("as_at"))
    by_id = {str(r.get("id")): r for r in rows}
    contacts = contacts_row(pack)
    contacts["_supp"] = suppression("count", contacts["value"], contacts["value"], None, threshold)
    by_id["CONTACTS"] = contacts
    tiles = []
    for ind_id, label in HEADLINE:
        row = by_id.get(ind_id)
        if row is None:
            continue
        points = _points(pack, row, threshold)
        recent = points[-TREND_POINTS:]
        ref = number(row.get("england_value")) if row.get("england_comparable") else None
        symbol, word, css = marker_parts(row)
        tiles.append(
            {
                "id": ind_id,
                "label": label,
                "title": row.get("title"),
                "suppressed": row["_supp"]["value"],
                "value": fmt_value(row.get("value"), row.get("unit")),
                "period": row.get("period_label") or "",
                "england": england_short(row),
                "neighbours": benchmark_text(row, "statistical_neighbours"),
                "target": benchmark_text(row, "la"),
                "marker": {"symbol": symbol, "word": word, "css": css},
                "change": change(row, points, as_at),
                "chart": sparkline_geometry(
                    [(d, v) for d, v, _ in recent],
                    row.get("unit"),
                    reference=ref,
                    label=f"{label}, last {TREND_POINTS} months",
                ),
            }
        )
    return {
        "tiles": tiles,
        "movers": movers(pack, rows, threshold),
        "quality": quality(pack, threshold),
    }


def movers(pack: dict, rows: list[dict], threshold: int | None) -> list[dict[str, Any]]:
    """The indicators that moved most since the previous month end (relative change), each
    with its direction read through its polarity; no change, no mover."""
    as_at = as_date(pack.get("as_at"))
    found = []
    for row in rows:
        ch = change(row, history_points(pack, row, threshold), as_at)
        if ch is None or ch["delta"] == 0:
            continue
        found.append(
            {
                "id": row.get("id"),
                "title": row.get("title"),
                "value": fmt_value(row.get("value"), row.get("unit")),
                "change": ch,
            }
        )
    found.sort(key=lambda m: (-m["change"]["relative"], str(m["id"])))
    return found[:MOVERS]


def quality(pack: dict, threshold: int | None) -> dict[str, Any]:
    """The validation outcome the return was published with: warning rules and their counts."""
    v = pack.get("validation") or {}
    rules = sorted((v.get("failing_rules") or {}).items(), key=lambda kv: (-(kv[1] or 0), kv[0]))
    return {
        "known": bool(v),
        "errors": v.get("errors") or 0,
        "warnings": v.get("warnings") or 0,
        "waived": v.get("waived_records") or 0,
        "rules": [
            {"rule": rule, "count": SUPPRESSED if below(n, threshold) else fmt_number(n, 0)}
            for rule, n in rules
        ],
        "unmapped": len(pack.get("unmapped") or []),
    }
