"""The ChAT-style list views' values and bar-chart geometry (issue 12.2), for ``pack.html.j2``.

Counts come from ``annexa.pack.breakdowns``; here they are formatted, suppressed for the
aggregate-only view (a count below the threshold shows as ``[c]`` and draws no bar, so no bar
length gives it away) and turned into coordinates the ``_bars.svg.j2`` macros draw.
"""

from __future__ import annotations

from typing import Any

from annexa.pack.values import SUPPRESSED, below, fmt_count

COL_H = 120
COL_TOP, COL_BOTTOM = 12, 16
HBAR_W = 140
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _text(n: int, threshold: int | None) -> tuple[str, bool]:
    if below(n, threshold):
        return SUPPRESSED, True
    return fmt_count(n), False


def columns(
    items: list[list[Any]],
    threshold: int | None,
    *,
    label: str,
    short=None,
    standard: int | None = None,
    standard_after: str | None = None,
) -> dict[str, Any] | None:
    """A vertical bar chart of ``[[label, count], ...]``; bars after ``standard_after`` (the
    histogram bin ending at the standard) are marked over, with a dashed line between."""
    if not items:
        return None
    step = 34 if len(items) > 8 else 44
    left, w = 6, 12 + step * len(items)
    h = COL_H
    bottom = h - COL_BOTTOM
    shown = [n for _, n in items if not below(n, threshold)]
    top_n = max(shown or [0]) or 1
    ph = bottom - COL_TOP - 10
    bars, over, line = [], False, None
    for i, (lab, n) in enumerate(items):
        x = left + i * step
        text, supp = _text(n, threshold)
        bh = 0.0 if supp else n / top_n * ph
        bars.append(
            {
                "label": lab,
                "short": short(lab) if short else lab,
                "text": text,
                "suppressed": supp,
                "x": f"{x + 3:.1f}",
                "bw": f"{step - 6:.1f}",
                "y": f"{bottom - bh:.1f}",
                "bh": f"{bh:.1f}",
                "ty": f"{bottom - bh - 2:.1f}",
                "cx": f"{x + step / 2:.1f}",
                "over": over,
            }
        )
        if standard_after is not None and lab == standard_after:
            over = True
            line = {"x": f"{x + step:.1f}", "title": f"{standard} working days"}
    values = "; ".join(f"{b['label']} {b['text']}" for b in bars)
    return {
        "w": w,
        "h": h,
        "left": left,
        "right": w - 6,
        "top": COL_TOP,
        "bottom": bottom,
        "bars": bars,
        "line": line,
        "desc": f"{label}: {values}",
    }


def month_short(key: str) -> str:
    """'2026-03' -> 'Mar'; January also gets its year ("Jan 26")."""
    y, m = key.split("-")
    name = MONTHS_SHORT[int(m) - 1]
    return f"{name} {y[2:]}" if m == "01" else name


def table(items: list[list[Any]], threshold: int | None) -> list[dict[str, Any]]:
    """A breakdown's rows: label, count text, share of the total, and a bar."""
    total = sum(n for _, n in items) or 1
    top_n = max((n for _, n in items if not below(n, threshold)), default=0) or 1
    out = []
    for lab, n in items:
        text, supp = _text(n, threshold)
        out.append(
            {
                "label": lab,
                "text": text,
                "share": "" if supp else f"{n / total * 100:.1f}%",
                "suppressed": supp,
                "w": HBAR_W,
                "len": f"{0 if supp else n / top_n * HBAR_W:.1f}",
            }
        )
    return out


def list_views(views: dict | None, threshold: int | None) -> dict[str, Any] | None:
    """The template's values for every list view, the caseloads (full pack only) and the
    unallocated counts."""
    if not views:
        return None
    out = []
    for v in views.get("lists") or []:
        t = v.get("timeliness")
        tl = None
        if t:
            after = None
            if t.get("standard") is not None:
                after = next(
                    (lab for lab, _ in t["bins"] if lab.endswith(f"-{t['standard']}")), None
                )
            within = t.get("within")
            tl = {
                "title": t["title"],
                "standard": t.get("standard"),
                "completed": _text(t["completed"], threshold)[0],
                "within": None if within is None else _text(within, threshold)[0],
                "share": None
                if within is None
                or below(within, threshold)
                or below(t["completed"], threshold)
                or not t["completed"]
                else f"{within / t['completed'] * 100:.1f}%",
                "open": _text(t["open"], threshold)[0],
                "chart": columns(
                    t["bins"],
                    threshold,
                    label=f"{t['title']}, working days",
                    standard=t.get("standard"),
                    standard_after=after,
                ),
            }
        out.append(
            {
                "list": v["list"],
                "title": v["title"],
                "rows": _text(v["rows"], threshold)[0],
                "noun": v["noun"],
                "open": None if v.get("open") is None else _text(v["open"], threshold)[0],
                "volumes": None
                if not v.get("volumes")
                else columns(
                    v["volumes"],
                    threshold,
                    label=f"{v['noun']} per month",
                    short=month_short,
                ),
                "timeliness": tl,
                "breakdowns": [
                    {"name": name, "rows": table(items, threshold)}
                    for name, items in (v.get("breakdowns") or {}).items()
                ],
            }
        )
    loads = views.get("caseloads") or []
    top = max((c["children"] for c in loads), default=0) or 1
    return {
        "lists": out,
        "caseloads": None
        if threshold is not None
        else [
            c
            | {
                "len": f"{c['children'] / top * HBAR_W:.1f}",
                "w": HBAR_W,
                "suppressed": False,
                "text": str(c["children"]),
            }
            for c in loads
        ],
        "unallocated": {
            k: _text(n, threshold)[0] for k, n in (views.get("unallocated") or {}).items()
        },
    }
