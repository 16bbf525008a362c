"""The intelligence pack as one self-contained HTML file, rendered from ``templates/pack.html.j2``.

Python prepares the page's values (``annexa.pack.values``: formatting, markers, suppression)
and the trend charts' geometry; the templates hold every tag, ``pack.css`` the styles. The page
has no external address, font or image: inline CSS, charts as inline SVG, and a
Content-Security-Policy that blocks any outside load and any script but one: the full pack's
worker caseload table is sortable by ``templates/pack_sort.js`` (inlined, allowed by its hash;
present only when the table lists workers; the aggregate-only view has no script at all). The
table is rendered sorted, so it reads the same printed or with scripts off. Every value is
escaped by the template environment (``annexa.core.templating``).

The sparkline's coordinates are computed here (scales, gaps, axis labels: arithmetic that a
template would obscure) and drawn by the ``sparkline`` macro in ``_sparkline.svg.j2``, so no
markup is built in Python.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from annexa.core import templating
from annexa.core.files import write_text
from annexa.pack.charts import list_views
from annexa.pack.headline import contacts_row, headline
from annexa.pack.values import (
    EXAMPLE_KEYS,
    MARKERS,
    SUPPRESSED,
    below,
    by_area,
    cell_text,
    decimals,
    england_text,
    examples_text,
    fmt_count,
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_value,
    history,
    marker_parts,
    month_index,
    number,
    prepare,
    threshold_of,
)

TEMPLATE = "pack.html.j2"
SORT_SCRIPT = "pack_sort.js"  # the caseload table's sorter (full pack only)
SPARKLINE = "_sparkline.svg.j2"

# the chart's box: width, height and the plot's margins (room for the axis labels)
SPARK_W, SPARK_H = 260, 78
SPARK_LEFT, SPARK_RIGHT, SPARK_TOP, SPARK_BOTTOM = 52, 8, 8, 18


# --------------------------------------------------------------------------------------------
# trend chart geometry
# --------------------------------------------------------------------------------------------


def sparkline_geometry(
    points: list[tuple[dt.date, float | None]],
    unit: str | None,
    *,
    reference: float | None = None,
    label: str = "",
) -> dict | None:
    """What the sparkline macro draws (None: no value to draw): the months on x (first and last
    labelled), the values on y (min and max labelled), one polyline per run of consecutive
    months (a missing or suppressed month is a gap; a lone point is a dot), the England value
    as a dashed reference line when given. Coordinates are strings, one decimal place."""
    values = [v for _, v in points if v is not None]
    if not values:
        return None
    w, h, left, top = SPARK_W, SPARK_H, SPARK_LEFT, SPARK_TOP
    pw, ph = w - left - SPARK_RIGHT, h - top - SPARK_BOTTOM
    lo, hi = min(values), max(values)
    ylo, yhi = lo, hi
    if reference is not None:
        ylo, yhi = min(ylo, reference), max(yhi, reference)
    if yhi == ylo:
        pad = abs(yhi) * 0.05 or 1.0
        ylo, yhi = ylo - pad, yhi + pad
    m0, m1 = month_index(points[0][0]), month_index(points[-1][0])
    span = max(m1 - m0, 1)

    def x(d: dt.date) -> float:
        return left + (month_index(d) - m0) / span * pw if m1 > m0 else left + pw / 2

    def y(v: float) -> float:
        return top + (yhi - v) / (yhi - ylo) * ph

    dp = decimals(unit)
    segments: list[list[str]] = []
    segment: list[str] = []
    prev: int | None = None
    for d, v in points:
        if v is None or (prev is not None and month_index(d) - prev > 1):
            if segment:
                segments.append(segment)
            segment = []
        if v is not None:
            segment.append(f"{x(d):.1f},{y(v):.1f}")
        prev = month_index(d)
    if segment:
        segments.append(segment)
    last = next((d, v) for d, v in reversed(points) if v is not None)
    first_m, last_m = points[0][0].strftime("%b %Y"), points[-1][0].strftime("%b %Y")
    labels: list[tuple[float, float | str, str, str]] = [
        (left - 3, f"{y(hi) + 3:.1f}", "end", fmt_number(hi, dp))
    ]
    if lo != hi:
        labels.append((left - 3, f"{y(lo) + 3:.1f}", "end", fmt_number(lo, dp)))
    labels += [(left, h - 4, "start", first_m), (left + pw, h - 4, "end", last_m)]
    desc = (
        f"{label}: {len(values)} monthly values from {first_m} to {last_m}, "
        f"min {fmt_number(lo, dp)}, max {fmt_number(hi, dp)}"
    )
    ref = None
    if reference is not None:
        desc += f", England {fmt_number(reference, dp)} (dashed)"
        ref = {"y": f"{y(reference):.1f}", "title": f"England {fmt_number(reference, dp)}"}
    return {
        "w": w,
        "h": h,
        "left": left,
        "top": top,
        "right": left + pw,
        "bottom": top + ph,
        "ref": ref,
        "segments": [  # in date order: a lone point is a dot, a run of months a line
            {"dot": seg[0].split(","), "points": None}
            if len(seg) == 1
            else {"dot": None, "points": " ".join(seg)}
            for seg in segments
        ],
        "last": (f"{x(last[0]):.1f}", f"{y(last[1]):.1f}"),
        "labels": [{"x": lx, "y": ly, "anchor": a, "text": t} for lx, ly, a, t in labels],
        "desc": desc,
    }


def sparkline(
    points: list[tuple[dt.date, float | None]],
    unit: str | None,
    *,
    reference: float | None = None,
    label: str = "",
) -> str:
    """A small inline SVG line chart of ``points`` (see ``sparkline_geometry``), as markup."""
    geometry = sparkline_geometry(points, unit, reference=reference, label=label)
    return str(templating.macro(SPARKLINE, "sparkline")(geometry))


# --------------------------------------------------------------------------------------------
# the page's values
# --------------------------------------------------------------------------------------------


def _glossary(rows: list[dict]) -> list[dict[str, Any]]:
    """Every indicator's definition, in the order of the areas, for the glossary at the end."""
    out = []
    for r in rows:
        extra = []
        if r.get("numerator_text"):
            extra.append(f"Numerator: {r['numerator_text']}")
        if r.get("denominator_text"):
            extra.append(f"Denominator: {r['denominator_text']}")
        extra.append(f"Polarity: {r.get('polarity')}")
        if r.get("population_year"):
            extra.append(f"Population: ONS mid-{r['population_year']} estimate, aged 0-17")
        out.append(
            {
                "id": r.get("id"),
                "title": r.get("title"),
                "definition": r.get("definition"),
                "extra": extra,
            }
        )
    return out


def _indicator(pack: dict, row: dict, threshold: int | None) -> dict[str, Any]:
    supp = row["_supp"]
    symbol, word, css = marker_parts(row)
    ref = number(row.get("england_value")) if row.get("england_comparable") else None
    points = history(pack, row, threshold)
    extra = []
    if row.get("numerator_text"):
        extra.append(f"Numerator: {row['numerator_text']}")
    if row.get("denominator_text"):
        extra.append(f"Denominator: {row['denominator_text']}")
    ratio: list[str | None] = [
        SUPPRESSED if supp[key] else (fmt_count(row.get(key)) or None)
        for key in ("numerator", "denominator")
    ]
    return {
        "id": row.get("id"),
        "title": row.get("title"),
        "definition": row.get("definition"),
        "extra": extra,
        "polarity": row.get("polarity"),
        "suppressed": supp["value"],
        "value": fmt_value(row.get("value"), row.get("unit")),
        "ratio": None if ratio == [None, None] else ratio,  # None: neither is known
        "period": row.get("period_label") or row.get("period"),
        "england": england_text(row),
        "marker": {"symbol": symbol, "word": word, "css": css},
        "chart": sparkline_geometry(  # None: no value to draw ("no history")
            points, row.get("unit"), reference=ref, label=f"{row.get('id')} {row.get('title')}"
        ),
    }


def _area_summary(rows: list[dict]) -> str:
    """'5 indicators against England: 2 better, 1 worse, 2 suppressed'."""
    counts: dict[str, int] = {}
    for r in rows:
        word = marker_parts(r)[1]
        counts[word] = counts.get(word, 0) + 1
    order = [m[1] for m in MARKERS.values()] + [SUPPRESSED]
    bits = [f"{counts[w]} {'suppressed' if w == SUPPRESSED else w}" for w in order if counts.get(w)]
    noun = "indicator" if len(rows) == 1 else "indicators"
    return f"{len(rows)} {noun} against England: {', '.join(bits)}"


def _drilldowns(pack: dict) -> list[dict[str, Any]]:
    return [
        {
            "title": d.get("title") or d.get("id"),
            "question": d.get("question"),
            "note": d.get("note"),
            "columns": list(d.get("columns") or []),
            "rows": [[cell_text(v) for v in r] for r in d.get("rows") or []],
        }
        for d in pack.get("drilldowns") or []
    ]


def _changes(pack: dict, threshold: int | None) -> dict[str, Any]:
    ch = pack.get("changes") or {}
    items = list(ch.get("lists") or [])
    has_examples = any(it.get(k) for it in items for k, _ in EXAMPLE_KEYS)
    prev = ch.get("previous_as_at")
    return {
        "previous": fmt_date(prev) if prev else None,
        "examples": threshold is None and has_examples,
        "examples_omitted": threshold is not None and has_examples,
        "lists": [
            {
                "list": it.get("list"),
                "title": it.get("title"),
                "cells": [
                    SUPPRESSED if below(it.get(k), threshold) else fmt_count(it.get(k))
                    for k in ("added", "removed", "changed")
                ],
                "examples": examples_text(it),
            }
            for it in items
        ],
    }


def context(pack: dict) -> dict[str, Any]:
    """Everything ``pack.html.j2`` shows, as plain values."""
    threshold = threshold_of(pack)
    rows = prepare(pack)
    top = headline(pack, rows, threshold, sparkline_geometry)
    areas = by_area(rows)
    contacts = contacts_row(pack)
    la = pack.get("la_name") or pack.get("la_code") or ""
    as_at = fmt_date(pack.get("as_at"))
    views = list_views(pack.get("list_views"), threshold)
    sortable = bool(views and views.get("caseloads"))
    return {
        "title": f"Intelligence pack - {la} - as at {as_at}",
        "la": la,
        "la_code": pack.get("la_code"),
        "as_at": as_at,
        "generated": fmt_datetime(pack.get("generated_at")),
        "threshold": threshold,
        "suppressed_mark": SUPPRESSED,
        "areas": [
            {
                "key": key,
                "title": title,
                "summary": _area_summary(group) if group else "",
                "indicators": [_indicator(pack, r, threshold) for r in group],
            }
            for key, title, group in areas
        ],
        "headline": top,
        "list_views": views,
        "sort_script": SORT_SCRIPT,
        "sort_hash": templating.script_hash(SORT_SCRIPT) if sortable else None,
        "glossary": _glossary([contacts] + [r for _, _, group in areas for r in group]),
        "drilldown_count": len(pack.get("drilldowns") or []),
        "drilldowns": _drilldowns(pack) if threshold is None else [],
        "changes": _changes(pack, threshold),
        "markers": [{"symbol": s, "word": w, "css": c} for s, w, c in MARKERS.values()],
    }


def render_html(pack: dict) -> str:
    """The pack as one self-contained HTML document (string)."""
    return templating.render(TEMPLATE, **context(pack))


def write_pack_html(path: str | Path, pack: dict) -> Path:
    """Write the pack as one self-contained, owner-only HTML file; returns its path."""
    return write_text(path, render_html(pack))
