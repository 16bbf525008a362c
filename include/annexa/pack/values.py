"""The pack's values as people read them: formatting, suppression, ordering (HTML and workbook).

Both renderings (``annexa.pack.html``, ``annexa.pack.workbook``) take the same prepared rows
from here, so a number, a marker or a suppressed cell reads the same in the page and in the
sheet. Conventions (spec indicators.md §1.4, §1.5, §7.4): percentages and rates per 10,000 to
one decimal place, days and working days whole; the better/worse marker is the one the
indicator row carries (polarity already applied) and is shown as colour *and* a symbol and a
word.

Aggregate-only view (``suppress_below`` an int; for sharing beyond the LA, §1.4): counts below
the threshold, and percentages whose denominator is below it, show as ``[c]``. Two further
rules close back-calculation: a value is also suppressed when its numerator is (a percentage
with a shown denominator would otherwise give the count away), and a non-count value whose
numerator and denominator are both unknown cannot be checked and is suppressed. A suppressed
value's marker is suppressed too. Trend points follow the same rules with the point's own
numerator/denominator.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

from annexa.pack.catalogue import load_catalogue

AREA_TITLES = {
    "help_and_protection": "Help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
    "leadership_and_workforce": "Leadership and workforce",
}
OTHER_AREA = "Other indicators"

# marker -> (symbol, word, css class); the word is what the xlsx shows
MARKERS: dict[str, tuple[str, str, str]] = {
    "better": ("\u25b2", "better", "m-better"),  # ▲
    "worse": ("\u25bc", "worse", "m-worse"),  # ▼
    "same": ("=", "same", "m-same"),
    "warning": ("\u26a0", "warning: very low", "m-warning"),  # ⚠
    "higher": ("\u2191", "higher", "m-context"),  # ↑
    "lower": ("\u2193", "lower", "m-context"),  # ↓
    "n/a": ("\u2013", "n/a", "m-na"),  # –
}
STATUS_MARKS = {"derived": "\u2020", "secondary": "\u2021", "unconfirmed": "(u)"}
DECIMALS = {
    "percent": 1,
    "rate_per_10000": 1,
    "count": 0,
    "days": 0,
    "working_days": 0,
    "cases_per_worker": 1,
}
UNIT_SUFFIX = {
    "percent": "%",
    "rate_per_10000": " per 10,000",
    "count": "",
    "days": " days",
    "working_days": " working days",
    "cases_per_worker": " cases per worker",
}
UNIT_WORDS = {
    "percent": "%",
    "rate_per_10000": "per 10,000 aged 0-17",
    "count": "count",
    "days": "days",
    "working_days": "working days",
    "cases_per_worker": "cases per worker",
}
SUPPRESSED = "[c]"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EXAMPLE_KEYS = (("added_ids", "added"), ("removed_ids", "removed"), ("changed_ids", "changed"))
NOT_AVAILABLE = "not available"


def number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        f = float(value)
        return f if math.isfinite(f) else None
    return None


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def fmt_date(value: Any) -> str:
    d = as_date(value)
    return d.strftime("%d/%m/%Y") if d else ("" if value is None else str(value))


def fmt_datetime(value: Any) -> str:
    if value is None:
        return ""
    try:
        t = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    out = t.strftime("%d/%m/%Y %H:%M")
    if t.tzinfo is not None:
        out += " UTC" if t.utcoffset() == dt.timedelta(0) else t.strftime(" %z")
    return out


def decimals(unit: str | None) -> int:
    return DECIMALS.get(unit or "", 1)


def fmt_number(value: Any, dp: int) -> str:
    f = number(value)
    if f is None:
        return ""
    return f"{f:,.{dp}f}"


def fmt_value(value: Any, unit: str | None) -> str:
    """A value in its unit: 85.7%, 42.8 per 10,000, 33 days, 1,234."""
    f = number(value)
    if f is None:
        return NOT_AVAILABLE
    return fmt_number(f, decimals(unit)) + UNIT_SUFFIX.get(unit or "", "")


def fmt_count(value: Any) -> str:
    """Numerators and denominators: whole numbers unless fractional (FTE)."""
    f = number(value)
    if f is None:
        return ""
    return f"{f:,.0f}" if f == int(f) else f"{f:,.1f}"


def below(value: Any, threshold: int | None) -> bool:
    f = number(value)
    return threshold is not None and f is not None and f < threshold


def suppression(
    unit: str | None, value: Any, numerator: Any, denominator: Any, threshold: int | None
) -> dict[str, bool]:
    """Which of value / numerator / denominator are suppressed in the aggregate-only view."""
    if threshold is None:
        return {"value": False, "numerator": False, "denominator": False}
    num_s = below(numerator, threshold)
    den_s = below(denominator, threshold)
    if number(value) is None:
        val_s = False
    elif unit == "count":
        val_s = below(value, threshold) or num_s
    else:
        unknown = number(numerator) is None and number(denominator) is None
        val_s = num_s or den_s or unknown
    return {"value": val_s, "numerator": num_s, "denominator": den_s}


def threshold_of(pack: dict) -> int | None:
    t = pack.get("suppress_below")
    if t is None:
        return None
    if isinstance(t, bool) or not isinstance(t, int) or t < 1:  # never fail open on a typo
        raise ValueError(f"suppress_below must be None or a positive integer: {t!r}")
    return t


def prepare(pack: dict) -> list[dict]:
    """Indicator rows with the catalogue's definition and numerator/denominator wording added
    where the row lacks them (a row's own ``definition``, ``numerator_text`` and
    ``denominator_text`` win) and the suppression decided."""
    t = threshold_of(pack)
    rows = list(pack.get("indicators") or [])
    need = any(
        r.get(k) is None for r in rows for k in ("definition", "numerator_text", "denominator_text")
    )
    cat = load_catalogue() if need else {}
    out = []
    for r in rows:
        entry = cat.get(str(r.get("id")), {})
        row = {**r}
        for key in ("definition", "numerator_text", "denominator_text"):
            src = {"numerator_text": "numerator", "denominator_text": "denominator"}.get(key, key)
            if row.get(key) is None:
                row[key] = entry.get(src) if isinstance(entry.get(src), str) else ""
        row["_supp"] = suppression(
            row.get("unit"), row.get("value"), row.get("numerator"), row.get("denominator"), t
        )
        out.append(row)
    return out


def by_area(rows: list[dict]) -> list[tuple[str, str, list[dict]]]:
    """(area key, title, rows) in the order of the ILACS judgement areas; unknown areas last."""
    groups: list[tuple[str, str, list[dict]]] = []
    for key, title in AREA_TITLES.items():
        groups.append((key, title, [r for r in rows if r.get("area") == key]))
    rest = [r for r in rows if r.get("area") not in AREA_TITLES]
    if rest:
        groups.append(("other", OTHER_AREA, rest))
    return groups


def marker_parts(row: dict) -> tuple[str, str, str]:
    if row["_supp"]["value"]:
        return ("", SUPPRESSED, "m-supp")
    return MARKERS.get(str(row.get("marker")), ("?", str(row.get("marker")), "m-na"))


NOT_COMPARED = " - different measure, not compared"


def england_value_text(row: dict) -> str:
    """England's latest value in its own unit and year: '22.6% (2025)', '632,830 (2025)'."""
    text = fmt_value(row.get("england_value"), row.get("england_unit") or row.get("unit"))
    if row.get("england_year") is not None:
        text += f" ({row['england_year']})"
    return text


def england_text(row: dict) -> str:
    """'22.6% (2025)' with † ‡ (u) for derived, secondary, unconfirmed values."""
    if number(row.get("england_value")) is None:
        return "none"
    text = england_value_text(row)
    mark = STATUS_MARKS.get(str(row.get("england_status")))
    if mark:
        text += f" {mark}"
    if not row.get("england_comparable", True) and row.get("value") is not None:
        text += NOT_COMPARED
    return text + other_benchmarks_text(row)


OTHER_BENCHMARKS = {
    "statistical_neighbours": "statistical neighbours",
    "region": "region",
    "la": "LA target",
}


def other_benchmarks_text(row: dict) -> str:
    """'; statistical neighbours 20.1% (2025)' for the values an LA added (catalogue merge)."""
    parts = []
    for key, label in OTHER_BENCHMARKS.items():
        b = (row.get("other_benchmarks") or {}).get(key)
        if b and number(b.get("value")) is not None:
            parts.append(f"{label} {fmt_value(b['value'], row.get('unit'))} ({b.get('year')})")
    return "".join(f"; {p}" for p in parts)


def iso_date(value: Any) -> Any:
    """Drill-down cells arrive from JSON: an ISO date string becomes a date."""
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def cell_text(value: Any) -> str:
    value = iso_date(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def history(pack: dict, row: dict, threshold: int | None) -> list[tuple[dt.date, float | None]]:
    """The indicator's month-end points (date, value or None when suppressed or missing),
    sorted by date, at most the last 36."""
    return [(d, v) for d, v, _ in history_points(pack, row, threshold)]


def history_points(
    pack: dict, row: dict, threshold: int | None
) -> list[tuple[dt.date, float | None, bool]]:
    """As ``history``, with a third item: whether the point is suppressed."""
    points = []
    for p in (pack.get("history") or {}).get(str(row.get("id"))) or []:
        d = as_date(p.get("as_at")) if isinstance(p, dict) else None
        if d is None:
            continue
        s = suppression(
            row.get("unit"), p.get("value"), p.get("numerator"), p.get("denominator"), threshold
        )
        points.append((d, None if s["value"] else number(p.get("value")), s["value"]))
    points.sort(key=lambda x: x[0])
    return points[-36:]


def month_index(d: dt.date) -> int:
    """Months since year 0: consecutive month ends differ by one."""
    return d.year * 12 + d.month - 1


def month_end(m: int) -> dt.date:
    y, mo = divmod(m, 12)
    return dt.date(y, mo + 1, calendar.monthrange(y, mo + 1)[1])


def examples_text(item: dict) -> str:
    """'added: k1, k2; removed: k3' from a diff entry's example keys."""
    parts = []
    for key, word in EXAMPLE_KEYS:
        ids = [str(x) for x in item.get(key) or []]
        if ids:
            parts.append(f"{word}: {', '.join(ids)}")
    return "; ".join(parts)
