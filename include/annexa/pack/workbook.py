"""The intelligence pack as an .xlsx workbook: Indicators, Trends, one sheet per drill-down,
Changes, About (the same prepared values as the HTML, from ``annexa.pack.values``).

Every text cell is a text cell (type ``s``), never a formula, whatever it starts with: drill-down
values come from CMS free text. The aggregate-only view has no drill-down sheets and no example
record keys. Written owner-only and atomically through ``annexa.core.files``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from annexa.core.files import private_file
from annexa.pack.values import (
    AREA_TITLES,
    SUPPRESSED,
    UNIT_WORDS,
    as_date,
    below,
    by_area,
    decimals,
    examples_text,
    fmt_datetime,
    history_points,
    iso_date,
    marker_parts,
    month_end,
    month_index,
    number,
    prepare,
    threshold_of,
)


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
    f = number(value)
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
        num = SUPPRESSED if supp["numerator"] else number(row.get("numerator"))
        den = SUPPRESSED if supp["denominator"] else number(row.get("denominator"))
        eng_unit = row.get("england_unit") or unit
        cells = [
            area,
            row.get("id"),
            row.get("title"),
            value,
            UNIT_WORDS.get(str(unit), unit),
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
    series = {str(r.get("id")): history_points(pack, r, threshold) for r in rows}
    present = [month_index(p[0]) for pts in series.values() for p in pts]
    # every month from the first to the last (a missing month is an empty column), by month end
    months = list(range(min(present), max(present) + 1)) if present else []
    _header(ws, 1, ["Id", "Title", "Unit"] + [month_end(m).isoformat() for m in months])
    r = 2
    for row in rows:
        rid = str(row.get("id"))
        pts = {month_index(d): (v, s) for d, v, s in series[rid]}
        if not pts:
            continue
        _put(ws, r, 1, rid)
        _put(ws, r, 2, row.get("title"))
        _put(ws, r, 3, UNIT_WORDS.get(str(row.get("unit")), row.get("unit")))
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
            _put(ws, r, c, iso_date(v))
    ws.freeze_panes = "A6"
    _widths(ws, [max(12, min(40, len(str(c)) + 4)) for c in cols])


def _changes_sheet(ws: Any, pack: dict, threshold: int | None) -> None:
    ch = pack.get("changes") or {}
    _header(ws, 1, CHANGE_COLUMNS + (("Examples (record keys)",) if threshold is None else ()))
    prev, cur = as_date(ch.get("previous_as_at")), as_date(pack.get("as_at"))
    for r, it in enumerate(ch.get("lists") or [], start=2):
        list_no = number(it.get("list"))
        _put(ws, r, 1, list_no if list_no is not None else it.get("list"))
        _put(ws, r, 2, it.get("title"))
        for c, key in enumerate(("added", "removed", "changed"), start=3):
            v = it.get(key)
            _put(ws, r, c, SUPPRESSED if below(v, threshold) else number(v), "#,##0")
        _put(ws, r, 6, prev if prev else "none")
        _put(ws, r, 7, cur)
        if threshold is None:
            _put(ws, r, 8, examples_text(it) or None)
    _widths(ws, (6, 40, 10, 10, 10, 14, 14, 80))


def _about_sheet(ws: Any, pack: dict, threshold: int | None, drills_omitted: int) -> None:
    items = [
        ("Local authority", pack.get("la_name")),
        ("LA code", pack.get("la_code")),
        ("Data as at", as_date(pack.get("as_at")) or pack.get("as_at")),
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

    threshold = threshold_of(pack)
    rows = [r for _, _, group in by_area(prepare(pack)) for r in group]  # as the HTML
    wb = Workbook()
    ws: Any = wb.active  # a new Workbook always has its one worksheet active
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
    with private_file(path, "wb") as f:
        wb.save(f)
    return Path(path)
