"""Render the intelligence pack (issue 5) as one self-contained HTML file and as an .xlsx workbook.

The pack is a plain dict the caller assembles::

    {"la_code", "la_name", "as_at", "generated_at",
     "indicators": [rows of annexa.pack.indicators.compute_indicators],
     "history": {"HP03": [{"as_at": "2023-04-30", "value": 21.5}, ...]},   # optional numerator,
                                                                           # denominator per point
     "drilldowns": [{"id", "title", "question", "columns", "rows", "note"}],
     "changes": {"previous_as_at": ... | None,
                 "lists": [{"list", "title", "added", "removed", "changed"}]},
     "suppress_below": None | int}

Conventions (spec indicators.md §1.4, §1.5, §7.4): percentages and rates per 10,000 to one
decimal place, days and working days whole; the better/worse marker is the one the indicator
row carries (polarity already applied) and is shown as colour *and* a symbol and a word.

The HTML has no script, no external address, font or image: inline CSS, charts as inline SVG
drawn here, and a Content-Security-Policy that blocks any script or outside load even if
something slipped through. Every value from the pack is escaped.

Aggregate-only view (``suppress_below`` an int; for sharing beyond the LA, §1.4): counts below
the threshold, and percentages whose denominator is below it, show as ``[c]``. Two further
rules close back-calculation: a value is also suppressed when its numerator is (a percentage
with a shown denominator would otherwise give the count away), and a non-count value whose
numerator and denominator are both unknown cannot be checked and is suppressed. A suppressed
value's marker is suppressed too. Trend points follow the same rules with the point's own
numerator/denominator. The child-level drill-downs are left out entirely, with a note.

Both files are written owner-only (0600), atomically (temporary file in the same folder, then
rename).
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

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

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)


# --------------------------------------------------------------------------------------------
# values, formatting and suppression
# --------------------------------------------------------------------------------------------


def esc(value: Any) -> str:
    """HTML-escape any value (quotes too: safe inside attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        f = float(value)
        return f if math.isfinite(f) else None
    return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def fmt_date(value: Any) -> str:
    d = _date(value)
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
    f = _num(value)
    if f is None:
        return ""
    return f"{f:,.{dp}f}"


def fmt_value(value: Any, unit: str | None) -> str:
    """A value in its unit: 85.7%, 42.8 per 10,000, 33 days, 1,234."""
    f = _num(value)
    if f is None:
        return NOT_AVAILABLE
    return fmt_number(f, decimals(unit)) + UNIT_SUFFIX.get(unit or "", "")


def fmt_count(value: Any) -> str:
    """Numerators and denominators: whole numbers unless fractional (FTE)."""
    f = _num(value)
    if f is None:
        return ""
    return f"{f:,.0f}" if f == int(f) else f"{f:,.1f}"


def _below(value: Any, threshold: int | None) -> bool:
    f = _num(value)
    return threshold is not None and f is not None and f < threshold


def suppression(
    unit: str | None, value: Any, numerator: Any, denominator: Any, threshold: int | None
) -> dict[str, bool]:
    """Which of value / numerator / denominator are suppressed in the aggregate-only view."""
    if threshold is None:
        return {"value": False, "numerator": False, "denominator": False}
    num_s = _below(numerator, threshold)
    den_s = _below(denominator, threshold)
    if _num(value) is None:
        val_s = False
    elif unit == "count":
        val_s = _below(value, threshold) or num_s
    else:
        unknown = _num(numerator) is None and _num(denominator) is None
        val_s = num_s or den_s or unknown
    return {"value": val_s, "numerator": num_s, "denominator": den_s}


def _threshold(pack: dict) -> int | None:
    t = pack.get("suppress_below")
    if t is None:
        return None
    if isinstance(t, bool) or not isinstance(t, int) or t < 1:  # never fail open on a typo
        raise ValueError(f"suppress_below must be None or a positive integer: {t!r}")
    return t


def _catalogue() -> dict[str, dict]:
    from annexa.pack.catalogue import load_catalogue

    return load_catalogue()


def _prepare(pack: dict) -> list[dict]:
    """Indicator rows with the catalogue's definition and numerator/denominator wording added
    where the row lacks them (a row's own ``definition``, ``numerator_text`` and
    ``denominator_text`` win) and the suppression decided."""
    t = _threshold(pack)
    rows = list(pack.get("indicators") or [])
    need = any(
        r.get(k) is None for r in rows for k in ("definition", "numerator_text", "denominator_text")
    )
    cat = _catalogue() if need else {}
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


def _by_area(rows: list[dict]) -> list[tuple[str, str, list[dict]]]:
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


def england_text(row: dict) -> str:
    """'22.6% (2025)' with † ‡ (u) for derived, secondary, unconfirmed values."""
    if _num(row.get("england_value")) is None:
        return "none"
    unit = row.get("england_unit") or row.get("unit")
    text = fmt_value(row.get("england_value"), unit)
    if row.get("england_year") is not None:
        text += f" ({row['england_year']})"
    mark = STATUS_MARKS.get(str(row.get("england_status")))
    if mark:
        text += f" {mark}"
    if not row.get("england_comparable", True) and row.get("value") is not None:
        text += " - different measure, not compared"
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
        if b and _num(b.get("value")) is not None:
            parts.append(f"{label} {fmt_value(b['value'], row.get('unit'))} ({b.get('year')})")
    return "".join(f"; {p}" for p in parts)


def _iso_date(value: Any) -> Any:
    """Drill-down cells arrive from JSON: an ISO date string becomes a date."""
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _cell_text(value: Any) -> str:
    value = _iso_date(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _history(pack: dict, row: dict, threshold: int | None) -> list[tuple[dt.date, float | None]]:
    """The indicator's month-end points (date, value or None when suppressed or missing),
    sorted by date, at most the last 36."""
    return [(d, v) for d, v, _ in _history_points(pack, row, threshold)]


def _history_points(
    pack: dict, row: dict, threshold: int | None
) -> list[tuple[dt.date, float | None, bool]]:
    """As _history, with a third item: whether the point is suppressed."""
    points = []
    for p in (pack.get("history") or {}).get(str(row.get("id"))) or []:
        d = _date(p.get("as_at")) if isinstance(p, dict) else None
        if d is None:
            continue
        s = suppression(
            row.get("unit"), p.get("value"), p.get("numerator"), p.get("denominator"), threshold
        )
        points.append((d, None if s["value"] else _num(p.get("value")), s["value"]))
    points.sort(key=lambda x: x[0])
    return points[-36:]


# --------------------------------------------------------------------------------------------
# SVG
# --------------------------------------------------------------------------------------------


def _month(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def _month_end(m: int) -> dt.date:
    y, mo = divmod(m, 12)
    return dt.date(y, mo + 1, calendar.monthrange(y, mo + 1)[1])


def sparkline(
    points: list[tuple[dt.date, float | None]],
    unit: str | None,
    *,
    reference: float | None = None,
    label: str = "",
) -> str:
    """A small inline SVG line chart: the months on x (first and last labelled), the values on
    y (min and max labelled), gaps where a point is missing or suppressed, the England value as
    a dashed reference line when given."""
    values = [v for _, v in points if v is not None]
    if not values:
        return '<span class="nohist">no history</span>'
    w, h = 260, 78
    left, right, top, bottom = 52, 8, 8, 18
    pw, ph = w - left - right, h - top - bottom
    lo, hi = min(values), max(values)
    ylo, yhi = lo, hi
    if reference is not None:
        ylo, yhi = min(ylo, reference), max(yhi, reference)
    if yhi == ylo:
        pad = abs(yhi) * 0.05 or 1.0
        ylo, yhi = ylo - pad, yhi + pad
    m0, m1 = _month(points[0][0]), _month(points[-1][0])
    span = max(m1 - m0, 1)

    def x(d: dt.date) -> float:
        return left + (_month(d) - m0) / span * pw if m1 > m0 else left + pw / 2

    def y(v: float) -> float:
        return top + (yhi - v) / (yhi - ylo) * ph

    dp = decimals(unit)
    parts = [
        f'<line class="ax" x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}"/>',
        f'<line class="ax" x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}"/>',
    ]
    if reference is not None:
        ry = y(reference)
        parts.append(
            f'<line class="ref" x1="{left}" y1="{ry:.1f}" x2="{left + pw}" '
            f'y2="{ry:.1f}"><title>England {esc(fmt_number(reference, dp))}</title>'
            f"</line>"
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    prev: int | None = None
    for d, v in points:
        if v is None or (prev is not None and _month(d) - prev > 1):
            if segment:
                segments.append(segment)
            segment = []
        if v is not None:
            segment.append(f"{x(d):.1f},{y(v):.1f}")
        prev = _month(d)
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) == 1:
            cx, cy = seg[0].split(",")
            parts.append(f'<circle class="pt" cx="{cx}" cy="{cy}" r="2"/>')
        else:
            parts.append(f'<polyline class="ln" points="{" ".join(seg)}"/>')
    last = next(((d, v) for d, v in reversed(points) if v is not None), None)
    if last:
        parts.append(f'<circle class="last" cx="{x(last[0]):.1f}" cy="{y(last[1]):.1f}" r="2.5"/>')
    # axis labels: max and min of the values on y, first and last month on x
    parts.append(
        f'<text class="lb" x="{left - 3}" y="{y(hi) + 3:.1f}" text-anchor="end">'
        f"{esc(fmt_number(hi, dp))}</text>"
    )
    if lo != hi:
        parts.append(
            f'<text class="lb" x="{left - 3}" y="{y(lo) + 3:.1f}" text-anchor="end">'
            f"{esc(fmt_number(lo, dp))}</text>"
        )
    first_m, last_m = points[0][0].strftime("%b %Y"), points[-1][0].strftime("%b %Y")
    parts.append(
        f'<text class="lb" x="{left}" y="{h - 4}" text-anchor="start">{esc(first_m)}</text>'
    )
    parts.append(
        f'<text class="lb" x="{left + pw}" y="{h - 4}" text-anchor="end">{esc(last_m)}</text>'
    )
    desc = (
        f"{label}: {len(values)} monthly values from {first_m} to {last_m}, "
        f"min {fmt_number(lo, dp)}, max {fmt_number(hi, dp)}"
    )
    if reference is not None:
        desc += f", England {fmt_number(reference, dp)} (dashed)"
    return (
        f'<svg class="spark" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="{esc(desc)}"><title>{esc(desc)}</title>{"".join(parts)}</svg>'
    )


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

CSS = """
:root { --fg:#1b1b1b; --muted:#555; --line:#c8c8c8; --head:#f0f2f4;
        --better:#0b6b2f; --better-bg:#e3f4e8; --worse:#a3150f; --worse-bg:#fbe5e3;
        --warn:#7a4b00; --warn-bg:#fff1cc; --ctx:#1d4f91; --ctx-bg:#e6eef9; }
* { box-sizing: border-box; }
body { font-family: Arial, Helvetica, sans-serif; color: var(--fg); margin: 0 auto;
       max-width: 1400px; padding: 16px 24px; font-size: 14px; line-height: 1.35; }
header.pack { border-bottom: 3px solid var(--fg); margin-bottom: 12px; }
header.pack h1 { margin: 0 0 4px; font-size: 24px; }
header.pack dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px;
                 margin: 8px 0; }
header.pack dt { font-weight: bold; } header.pack dd { margin: 0; }
.banner { padding: 8px 12px; border: 2px solid var(--fg); margin: 8px 0; font-weight: bold; }
nav ul { margin: 4px 0 12px; padding-left: 20px; columns: 2; }
h2 { font-size: 20px; margin: 18px 0 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 14px 0 4px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top;
         text-align: left; }
thead th { background: var(--head); }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.ind th[scope=row] { font-weight: normal; }
.ind .title { font-weight: bold; }
.id { font-family: "Courier New", monospace; color: var(--muted); margin-right: 4px; }
.def { color: var(--muted); font-size: 12px; margin-top: 3px; }
.value { font-size: 16px; font-weight: bold; }
.marker { display: inline-block; padding: 2px 6px; border-radius: 3px; font-weight: bold;
          white-space: nowrap; border: 1px solid currentColor; }
.m-better { color: var(--better); background: var(--better-bg); }
.m-worse { color: var(--worse); background: var(--worse-bg); }
.m-warning { color: var(--warn); background: var(--warn-bg); }
.m-context { color: var(--ctx); background: var(--ctx-bg); }
.m-same, .m-na, .m-supp { color: var(--muted); background: #f4f4f4; }
.supp { color: var(--muted); font-style: italic; }
.summary { color: var(--muted); margin: 0 0 4px; }
table.ind { table-layout: fixed; }
svg.spark { display: block; width: 100%; max-width: 260px; height: auto; }
svg.spark .ax { stroke: #888; stroke-width: 1; }
svg.spark .ln { fill: none; stroke: #1d4f91; stroke-width: 1.6; }
svg.spark .pt, svg.spark .last { fill: #1d4f91; }
svg.spark .ref { stroke: #a3150f; stroke-width: 1; stroke-dasharray: 4 3; }
svg.spark .lb { font-size: 10px; fill: #333; font-family: Arial, Helvetica, sans-serif; }
.nohist { color: var(--muted); font-size: 12px; }
.question { font-style: italic; }
.note { color: var(--muted); font-size: 12px; }
.legend { font-size: 12px; color: var(--muted); border-top: 1px solid var(--line);
          margin-top: 16px; padding-top: 6px; }
.legend .marker { margin: 0 2px; }
.drill td { font-size: 12px; overflow-wrap: anywhere; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  nav { display: none; }
  section.area, section.drilldowns, section.changes { break-before: page; }
  tr, svg.spark, .marker { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
}
"""


def _marker_html(row: dict) -> str:
    symbol, word, css = marker_parts(row)
    sym = f'<span aria-hidden="true">{esc(symbol)}</span> ' if symbol else ""
    return f'<span class="marker {css}">{sym}{esc(word)}</span>'


def _value_html(row: dict) -> str:
    if row["_supp"]["value"]:
        return f'<span class="value supp">{SUPPRESSED}</span>'
    return f'<span class="value">{esc(fmt_value(row.get("value"), row.get("unit")))}</span>'


def _ratio_html(row: dict) -> str:
    parts = []
    for key in ("numerator", "denominator"):
        if row["_supp"][key]:
            parts.append(SUPPRESSED)
        else:
            parts.append(esc(fmt_count(row.get(key))) or "&ndash;")
    if all(p == "&ndash;" for p in parts):
        return "&ndash;"
    return " / ".join(parts)


def _indicator_row(pack: dict, row: dict, threshold: int | None) -> str:
    ref = _num(row.get("england_value")) if row.get("england_comparable") else None
    points = _history(pack, row, threshold)
    chart = (
        sparkline(
            points, row.get("unit"), reference=ref, label=f"{row.get('id')} {row.get('title')}"
        )
        if points
        else '<span class="nohist">no history</span>'
    )
    definition = esc(row.get("definition"))
    extra = []
    if row.get("numerator_text"):
        extra.append(f"Numerator: {esc(row['numerator_text'])}")
    if row.get("denominator_text"):
        extra.append(f"Denominator: {esc(row['denominator_text'])}")
    polarity = esc(row.get("polarity"))
    return (
        f'<tr id="ind-{esc(row.get("id"))}">'
        f'<th scope="row"><span class="id">{esc(row.get("id"))}</span>'
        f'<span class="title">{esc(row.get("title"))}</span>'
        f'<div class="def">{definition}'
        + (f"<br>{'<br>'.join(extra)}" if extra else "")
        + f"<br>Polarity: {polarity}</div></th>"
        f"<td>{_value_html(row)}</td>"
        f'<td class="num">{_ratio_html(row)}</td>'
        f"<td>{esc(row.get('period_label') or row.get('period'))}</td>"
        f"<td>{esc(england_text(row))}</td>"
        f"<td>{_marker_html(row)}</td>"
        f"<td>{chart}</td></tr>"
    )


def _area_summary(rows: list[dict]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        word = marker_parts(r)[1]
        counts[word] = counts.get(word, 0) + 1
    order = [m[1] for m in MARKERS.values()] + [SUPPRESSED]
    bits = [f"{counts[w]} {'suppressed' if w == SUPPRESSED else w}" for w in order if counts.get(w)]
    noun = "indicator" if len(rows) == 1 else "indicators"
    return f'<p class="summary">{len(rows)} {noun} against England: {esc(", ".join(bits))}</p>'


def _area_html(pack: dict, key: str, title: str, rows: list[dict], threshold: int | None) -> str:
    head = f'<section class="area" id="area-{esc(key)}"><h2>{esc(title)}</h2>'
    if not rows:
        return head + '<p class="note">No indicators in this area.</p></section>'
    body = "".join(_indicator_row(pack, r, threshold) for r in rows)
    return (
        head
        + _area_summary(rows)
        + '<table class="ind"><colgroup><col style="width:31%"><col style="width:10%">'
        '<col style="width:9%"><col style="width:10%"><col style="width:10%">'
        '<col style="width:10%"><col style="width:20%"></colgroup>'
        '<thead><tr><th scope="col">Indicator and definition</th>'
        '<th scope="col">Value</th><th scope="col">Numerator / denominator</th>'
        '<th scope="col">Period</th><th scope="col">England (year)</th>'
        '<th scope="col">Against England</th><th scope="col">Trend (up to 36 months)</th>'
        f"</tr></thead><tbody>{body}</tbody></table></section>"
    )


def _drilldowns_html(pack: dict, threshold: int | None) -> str:
    drills = list(pack.get("drilldowns") or [])
    out = ['<section class="drilldowns" id="drilldowns"><h2>Lines of enquiry (drill-downs)</h2>']
    if threshold is not None:
        out.append(
            f'<p class="note">Aggregate-only view: the {len(drills)} child-level '
            "drill-down table(s) are omitted from this version, which is for wider "
            "sharing. See the LA's full pack.</p></section>"
        )
        return "".join(out)
    if not drills:
        out.append('<p class="note">No drill-downs.</p></section>')
        return "".join(out)
    for i, d in enumerate(drills):
        cols = list(d.get("columns") or [])
        rows = list(d.get("rows") or [])
        out.append(f'<h3 id="drill-{i}">{esc(d.get("title") or d.get("id"))}</h3>')
        if d.get("question"):
            out.append(f'<p class="question">Line of enquiry: {esc(d["question"])}</p>')
        out.append(
            f'<p class="note">{len(rows)} record(s).'
            + (f" {esc(d['note'])}" if d.get("note") else "")
            + "</p>"
        )
        if rows:
            head = "".join(f'<th scope="col">{esc(c)}</th>' for c in cols)
            body = "".join(
                "<tr>" + "".join(f"<td>{esc(_cell_text(v))}</td>" for v in r) + "</tr>"
                for r in rows
            )
            out.append(
                f'<table class="drill"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            )
    out.append("</section>")
    return "".join(out)


def _change_cells(item: dict, threshold: int | None) -> list[str]:
    cells = []
    for key in ("added", "removed", "changed"):
        v = item.get(key)
        cells.append(SUPPRESSED if _below(v, threshold) else fmt_count(v))
    return cells


def _examples_text(item: dict) -> str:
    """'added: k1, k2; removed: k3' from a diff entry's example keys."""
    parts = []
    for key, word in EXAMPLE_KEYS:
        ids = [str(x) for x in item.get(key) or []]
        if ids:
            parts.append(f"{word}: {', '.join(ids)}")
    return "; ".join(parts)


def _changes_html(pack: dict, threshold: int | None) -> str:
    ch = pack.get("changes") or {}
    prev = ch.get("previous_as_at")
    out = ['<section class="changes" id="changes"><h2>What changed since the last return</h2>']
    if not prev:
        out.append('<p class="note">No previous return to compare with.</p>')
    else:
        out.append(
            f"<p>Compared with the return as at {esc(fmt_date(prev))}: rows added, "
            f"removed and changed per list.</p>"
        )
    items = list(ch.get("lists") or [])
    examples = threshold is None and any(it.get(k) for it in items for k, _ in EXAMPLE_KEYS)
    if items:
        body = "".join(
            f'<tr><td class="num">{esc(it.get("list"))}</td><td>{esc(it.get("title"))}</td>'
            + "".join(f'<td class="num">{esc(c)}</td>' for c in _change_cells(it, threshold))
            + (f'<td class="note">{esc(_examples_text(it))}</td>' if examples else "")
            + "</tr>"
            for it in items
        )
        out.append(
            '<table class="chg"><thead><tr><th scope="col">List</th>'
            '<th scope="col">Title</th><th scope="col">Added</th>'
            '<th scope="col">Removed</th><th scope="col">Changed</th>'
            + ('<th scope="col">Examples (record keys)</th>' if examples else "")
            + f"</tr></thead><tbody>{body}</tbody></table>"
        )
    if threshold is not None and any(it.get(k) for it in items for k, _ in EXAMPLE_KEYS):
        out.append(
            '<p class="note">Examples of the records that changed (child-level) are '
            "omitted from this aggregate-only view.</p>"
        )
    out.append("</section>")
    return "".join(out)


def _legend_html(threshold: int | None) -> str:
    marks = " ".join(
        f'<span class="marker {c}"><span aria-hidden="true">{esc(s)}</span> {esc(w)}</span>'
        for s, w, c in MARKERS.values()
    )
    text = (
        f'<div class="legend"><p>Markers compare the LA value with the latest England '
        f"value of the same unit, respecting polarity (higher or lower is better); "
        f"context indicators show only higher or lower; a warning marks a very low value "
        f"of a band indicator. {marks}</p><p>England values: \u2020 derived from published "
        f"counts; \u2021 from a secondary summary; (u) unconfirmed. Rolling Annex A periods "
        f"are compared with England years ending 31 March (workforce: 30 September).</p>"
    )
    if threshold is not None:
        text += (
            f"<p><strong>{SUPPRESSED}</strong> suppressed: a count below {threshold}, or a "
            f"value from a count or denominator below {threshold}, is not shown in this "
            f"aggregate-only view.</p>"
        )
    return text + "</div>"


def render_html(pack: dict) -> str:
    """The pack as one self-contained HTML document (string)."""
    threshold = _threshold(pack)
    rows = _prepare(pack)
    la = pack.get("la_name") or pack.get("la_code") or ""
    as_at = fmt_date(pack.get("as_at"))
    title = f"Intelligence pack - {la} - as at {as_at}"
    groups = _by_area(rows)
    if threshold is None:
        banner = (
            "Full pack: contains child-level drill-downs. For use within the local authority only."
        )
    else:
        banner = (
            f"Aggregate-only view: counts and percentages from fewer than {threshold} "
            f"are suppressed ({SUPPRESSED}); child-level drill-downs are omitted."
        )
    nav = "".join(
        f'<li><a href="#area-{esc(k)}">{esc(t)}</a> ({len(r)})</li>' for k, t, r in groups
    )
    nav += (
        '<li><a href="#drilldowns">Lines of enquiry</a></li>'
        '<li><a href="#changes">What changed</a></li>'
    )
    parts = [
        "<!DOCTYPE html>\n",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
        '<header class="pack"><h1>Ofsted intelligence pack</h1><dl>',
        f"<dt>Local authority</dt><dd>{esc(la)} ({esc(pack.get('la_code'))})</dd>",
        f"<dt>Data as at</dt><dd>{esc(as_at)}</dd>",
        f"<dt>Generated</dt><dd>{esc(fmt_datetime(pack.get('generated_at')))}</dd>",
        f'</dl><p class="banner">{esc(banner)}</p></header>',
        f'<nav aria-label="Contents"><ul>{nav}</ul></nav><main>',
    ]
    parts += [_area_html(pack, k, t, r, threshold) for k, t, r in groups]
    parts.append(_drilldowns_html(pack, threshold))
    parts.append(_changes_html(pack, threshold))
    parts.append(_legend_html(threshold))
    parts.append("</main></body></html>\n")
    return "".join(parts)


# --------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------


def _write_owner_only(path: str | Path, write: Callable[[IO[bytes]], None]) -> Path:
    """Write through a 0600 temporary file in the same folder, then rename over ``path``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.chmod(path, 0o600)
    return path


def write_pack_html(path: str | Path, pack: dict) -> Path:
    """Write the pack as one self-contained, owner-only HTML file; returns its path."""
    text = render_html(pack)
    return _write_owner_only(path, lambda f: f.write(text.encode("utf-8")))


# --------------------------------------------------------------------------------------------
# xlsx
# --------------------------------------------------------------------------------------------


def _put(ws: Any, row: int, col: int, value: Any, number_format: str | None = None) -> Any:
    """Set a cell; text is always a text cell (type 's'), never a formula, whatever it starts
    with; characters XML cannot hold are dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            value = str(value)
        else:
            cell.value = value
            if number_format:
                cell.number_format = number_format
            return cell
    if isinstance(value, dt.date | dt.datetime):
        cell.value = value
        cell.number_format = (
            "dd/mm/yyyy" if not isinstance(value, dt.datetime) else "dd/mm/yyyy hh:mm"
        )
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.value = text
    cell.data_type = "s"
    return cell


def _header(ws: Any, row: int, names: Iterable[str]) -> None:
    from openpyxl.styles import Font, PatternFill

    fill = PatternFill("solid", fgColor="F0F2F4")
    for c, name in enumerate(names, start=1):
        cell = _put(ws, row, c, name)
        cell.font = Font(bold=True)
        cell.fill = fill


def _widths(ws: Any, widths: Iterable[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _rounded(value: Any, unit: str | None) -> float | None:
    f = _num(value)
    if f is None:
        return None
    dp = decimals(unit)
    return round(f, dp) if dp else float(round(f))


def _fmt_code(unit: str | None) -> str:
    return "#,##0" if decimals(unit) == 0 else "#,##0.0"


INDICATOR_COLUMNS = (
    "Area",
    "Id",
    "Title",
    "Value",
    "Unit",
    "Numerator",
    "Denominator",
    "Period",
    "England value",
    "England year",
    "Marker",
    "Polarity",
    "Definition",
)
CHANGE_COLUMNS = ("List", "Title", "Added", "Removed", "Changed", "Previous as at", "Current as at")
RESERVED_SHEETS = ("Indicators", "Trends", "Changes", "About")
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique (case-insensitively, as Excel compares) sheet name of at most 31 chars."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    base = ILLEGAL_CHARACTERS_RE.sub("", str(title)).translate(_BAD_SHEET_CHARS)
    base = " ".join(base.split()).strip("'") or "Drill-down"
    name, n = base[:31].strip(), 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)].strip() + suffix
    taken.add(name.lower())
    return name


def _indicators_sheet(ws: Any, rows: list[dict]) -> None:
    _header(ws, 1, INDICATOR_COLUMNS)
    for r, row in enumerate(rows, start=2):
        unit = row.get("unit")
        supp = row["_supp"]
        area = AREA_TITLES.get(str(row.get("area")), row.get("area"))
        value = SUPPRESSED if supp["value"] else _rounded(row.get("value"), unit)
        num = SUPPRESSED if supp["numerator"] else _num(row.get("numerator"))
        den = SUPPRESSED if supp["denominator"] else _num(row.get("denominator"))
        eng_unit = row.get("england_unit") or unit
        cells = [
            area,
            row.get("id"),
            row.get("title"),
            value,
            UNIT_WORDS.get(unit, unit),
            num,
            den,
            row.get("period_label") or row.get("period"),
            _rounded(row.get("england_value"), eng_unit),
            row.get("england_year"),
            marker_parts(row)[1],
            row.get("polarity"),
            row.get("definition"),
        ]
        formats = {
            4: _fmt_code(unit),
            6: "#,##0.##",
            7: "#,##0.##",
            9: _fmt_code(eng_unit),
            10: "0",
        }
        for c, v in enumerate(cells, start=1):
            _put(ws, r, c, v, formats.get(c))
    ws.freeze_panes = "D2"
    ws.auto_filter.ref = f"A1:M{max(len(rows) + 1, 1)}"
    _widths(ws, (22, 8, 50, 10, 12, 11, 12, 26, 12, 11, 16, 10, 90))


def _trends_sheet(ws: Any, pack: dict, rows: list[dict], threshold: int | None) -> None:
    series = {str(r.get("id")): _history_points(pack, r, threshold) for r in rows}
    present = [_month(p[0]) for pts in series.values() for p in pts]
    # every month from the first to the last (a missing month is an empty column), by month end
    months = list(range(min(present), max(present) + 1)) if present else []
    _header(ws, 1, ["Id", "Title", "Unit"] + [_month_end(m).isoformat() for m in months])
    r = 2
    for row in rows:
        rid = str(row.get("id"))
        pts = {_month(d): (v, s) for d, v, s in series[rid]}
        if not pts:
            continue
        _put(ws, r, 1, rid)
        _put(ws, r, 2, row.get("title"))
        _put(ws, r, 3, UNIT_WORDS.get(row.get("unit"), row.get("unit")))
        for c, d in enumerate(months, start=4):
            if d not in pts:
                continue
            v, suppressed = pts[d]
            _put(
                ws,
                r,
                c,
                SUPPRESSED if suppressed else _rounded(v, row.get("unit")),
                _fmt_code(row.get("unit")),
            )
        r += 1
    ws.freeze_panes = "D2"
    _widths(ws, [8, 50, 12] + [11] * len(months))


def _drill_sheet(ws: Any, d: dict) -> None:
    from openpyxl.styles import Font

    _put(ws, 1, 1, d.get("title") or d.get("id")).font = Font(bold=True, size=13)
    _put(ws, 2, 1, f"Line of enquiry: {d.get('question') or ''}")
    _put(ws, 3, 1, d.get("note") or "")
    cols = list(d.get("columns") or [])
    _header(ws, 5, cols)
    for r, values in enumerate(d.get("rows") or [], start=6):
        for c, v in enumerate(values, start=1):
            _put(ws, r, c, _iso_date(v))
    ws.freeze_panes = "A6"
    _widths(ws, [max(12, min(40, len(str(c)) + 4)) for c in cols])


def _changes_sheet(ws: Any, pack: dict, threshold: int | None) -> None:
    ch = pack.get("changes") or {}
    _header(ws, 1, CHANGE_COLUMNS + (("Examples (record keys)",) if threshold is None else ()))
    prev, cur = _date(ch.get("previous_as_at")), _date(pack.get("as_at"))
    for r, it in enumerate(ch.get("lists") or [], start=2):
        _put(ws, r, 1, _num(it.get("list")) if _num(it.get("list")) is not None else it.get("list"))
        _put(ws, r, 2, it.get("title"))
        for c, key in enumerate(("added", "removed", "changed"), start=3):
            v = it.get(key)
            _put(ws, r, c, SUPPRESSED if _below(v, threshold) else _num(v), "#,##0")
        _put(ws, r, 6, prev if prev else "none")
        _put(ws, r, 7, cur)
        if threshold is None:
            _put(ws, r, 8, _examples_text(it) or None)
    _widths(ws, (6, 40, 10, 10, 10, 14, 14, 80))


def _about_sheet(ws: Any, pack: dict, threshold: int | None, drills_omitted: int) -> None:
    items = [
        ("Local authority", pack.get("la_name")),
        ("LA code", pack.get("la_code")),
        ("Data as at", _date(pack.get("as_at")) or pack.get("as_at")),
        ("Generated", fmt_datetime(pack.get("generated_at"))),
        (
            "View",
            "full (contains child-level drill-downs; LA use only)"
            if threshold is None
            else f"aggregate-only: values from fewer than {threshold} shown as {SUPPRESSED}; "
            f"{drills_omitted} child-level drill-down(s) omitted",
        ),
        (
            "Markers",
            "better / worse / same against the latest England value of the same unit, "
            "respecting polarity; higher / lower for context indicators; warning: a "
            "very low value of a band indicator; n/a: no comparable England value",
        ),
    ]
    for r, (k, v) in enumerate(items, start=1):
        _put(ws, r, 1, k)
        _put(ws, r, 2, v)
    _widths(ws, (18, 110))


def build_workbook(pack: dict) -> Any:
    """The pack as an openpyxl Workbook (not saved)."""
    from openpyxl import Workbook

    threshold = _threshold(pack)
    rows = [r for _, _, group in _by_area(_prepare(pack)) for r in group]  # as the HTML
    wb = Workbook()
    ws = wb.active
    ws.title = "Indicators"
    _indicators_sheet(ws, rows)
    _trends_sheet(wb.create_sheet("Trends"), pack, rows, threshold)
    taken = {s.lower() for s in RESERVED_SHEETS}
    drills = list(pack.get("drilldowns") or [])
    if threshold is None:
        for d in drills:
            _drill_sheet(wb.create_sheet(sheet_name(d.get("title") or d.get("id") or "", taken)), d)
    _changes_sheet(wb.create_sheet("Changes"), pack, threshold)
    _about_sheet(
        wb.create_sheet("About"), pack, threshold, len(drills) if threshold is not None else 0
    )
    wb.properties.title = f"Intelligence pack - {pack.get('la_name') or pack.get('la_code')}"
    return wb


def write_pack_xlsx(path: str | Path, pack: dict) -> Path:
    """Write the pack as an owner-only .xlsx workbook; returns its path."""
    wb = build_workbook(pack)
    return _write_owner_only(path, wb.save)
