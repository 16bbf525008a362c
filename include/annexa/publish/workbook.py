"""The Annex A workbook (openpyxl, write-only so the largest county streams) and CSVs.

Layouts (annex_a.md §6): ``ofsted`` (Front_Sheet, Codes_used, List_1..List_11 with the title
in row 1, headers in row 2, data from row 3) and ``liia`` (List 1..List 11, headers in row 1).
Dates are real Excel dates shown dd/mm/yyyy; free text is always a text cell, never a formula
(§6.5); CSVs prefix risky free text with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from annexa import reference

LAYOUTS = ("ofsted", "liia")
FREE_TEXT = ("id", "text", "postcode")
RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"


@dataclass(frozen=True)
class ReturnFacts:
    la_code: str
    la_name: str
    as_at: dt.date
    w6_start: dt.date
    w12_start: dt.date
    version: str
    generated_at: dt.datetime


def workbook_name(la_code: str, as_at: dt.date) -> str:
    return f"annex_a_{la_code}_{as_at.isoformat()}.xlsx"


def csv_name(la_code: str, as_at: dt.date, number: int) -> str:
    return f"annex_a_{la_code}_{as_at.isoformat()}_list_{number}.csv"


def _rows(path: Path | None, keys: list[str]) -> Iterator[tuple]:
    if path is None:
        return
    pf = pq.ParquetFile(path)
    for batch in pf.iter_batches(batch_size=20_000, columns=keys):
        cols = [batch.column(k).to_pylist() for k in keys]
        yield from zip(*cols, strict=True)


def _count(path: Path | None) -> int:
    return pq.ParquetFile(path).metadata.num_rows if path else 0


def csv_safe(value: str) -> str:
    """Neutralise a free-text value that a spreadsheet would evaluate (annex_a.md §6.5)."""
    return "'" + value if value.startswith(RISKY_PREFIXES) else value


def _cell(ws, value, col_type: str) -> WriteOnlyCell:
    if value is None:
        return WriteOnlyCell(ws, value=None)
    if col_type == "date":
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if col_type == "integer":
        return WriteOnlyCell(ws, value=int(value))
    cell = WriteOnlyCell(ws, value=str(value))
    cell.data_type = "s"  # text, whatever its first character: never a formula
    return cell


def _widths(ws, specs) -> None:
    for i, col in enumerate(specs, start=1):
        width = 12 if col.type in ("date", "integer") else 22
        if col.type == "code":
            width = 28
        ws.column_dimensions[get_column_letter(i)].width = width


def _front_sheet(wb: Workbook, facts: ReturnFacts, counts: dict[int, int],
                 specs: list) -> None:
    ws = wb.create_sheet("Front_Sheet")
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 48
    title = WriteOnlyCell(ws, value="Annex A - Child level data")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([])
    rows = [
        ("Local authority", facts.la_name or facts.la_code),
        ("LA code", facts.la_code),
        ("As-at date", facts.as_at),
        ("6-month window starts", facts.w6_start),
        ("12-month window starts", facts.w12_start),
        ("Annex A version", facts.version),
        ("Generated", facts.generated_at.strftime("%d/%m/%Y %H:%M:%S UTC")),
    ]
    for label, value in rows:
        ws.append([_cell(ws, label, "text"),
                   _cell(ws, value, "date" if isinstance(value, dt.date) else "text")])
    ws.append([])
    header = WriteOnlyCell(ws, value="Rows per list")
    header.font = Font(bold=True)
    ws.append([header])
    for spec in specs:
        ws.append([_cell(ws, spec.title, "text"), counts.get(spec.number, 0)])


def _codes_sheet(wb: Workbook, specs: list, version: str) -> None:
    ws = wb.create_sheet("Codes_used")
    ws.column_dimensions["A"].width = 80
    seen: set[tuple[str, str]] = set()
    for spec in specs:
        for col in spec.columns:
            if col.type != "code" or not col.codes or (col.header, col.codes) in seen:
                continue
            seen.add((col.header, col.codes))
            head = WriteOnlyCell(ws, value=f"{spec.sheet}: {col.header.strip()}")
            head.font = Font(bold=True)
            ws.append([head])
            for s in reference.code_strings(col.codes, version):
                ws.append([_cell(ws, s, "text")])
            ws.append([])


def write_workbook(path: Path, lists: dict[int, Path], facts: ReturnFacts,
                   layout: str = "ofsted") -> dict[int, int]:
    """Write the workbook for every list of the version; returns rows written per list."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}: {layout!r}")
    specs = reference.list_specs(facts.version)
    counts = {s.number: _count(lists.get(s.number)) for s in specs}
    wb = Workbook(write_only=True)
    wb.properties.title = f"Annex A - {facts.la_name or facts.la_code} - {facts.as_at:%d/%m/%Y}"
    wb.properties.creator = facts.la_name or ""
    if layout == "ofsted":
        _front_sheet(wb, facts, counts, specs)
        _codes_sheet(wb, specs, facts.version)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for spec in specs:
        ws = wb.create_sheet(spec.sheet if layout == "ofsted" else spec.liia_sheet)
        cols = spec.columns
        last = get_column_letter(len(cols))
        _widths(ws, cols)
        header_row = 2 if layout == "ofsted" else 1
        ws.freeze_panes = f"A{header_row + 1}"
        ws.auto_filter.ref = f"A{header_row}:{last}{header_row + counts[spec.number]}"
        if layout == "ofsted":
            title = WriteOnlyCell(ws, value=spec.title)
            title.font = bold
            ws.append([title])
            ws.merged_cells.add(f"A1:{last}1")
        headers = []
        for col in cols:
            c = WriteOnlyCell(ws, value=col.header if layout == "ofsted" else col.liia_header)
            c.data_type = "s"
            c.font, c.alignment = bold, wrap
            headers.append(c)
        ws.append(headers)
        types = [c.type for c in cols]
        for row in _rows(lists.get(spec.number), [c.key for c in cols]):
            ws.append([_cell(ws, v, t) for v, t in zip(row, types, strict=True)])
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        wb.save(f)
    return counts


def write_csvs(folder: Path, lists: dict[int, Path], facts: ReturnFacts) -> dict[int, Path]:
    """One CSV per list (UTF-8, no BOM, Ofsted headers, DD/MM/YYYY dates)."""
    out: dict[int, Path] = {}
    for spec in reference.list_specs(facts.version):
        path = folder / csv_name(facts.la_code, facts.as_at, spec.number)
        cols = spec.columns
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow([c.header for c in cols])
            for row in _rows(lists.get(spec.number), [c.key for c in cols]):
                w.writerow([_csv_value(v, c.type) for v, c in zip(row, cols, strict=True)])
        out[spec.number] = path
    return out


def _csv_value(value, col_type: str) -> str:
    if value is None:
        return ""
    if col_type == "date":
        return value.strftime("%d/%m/%Y")
    if col_type == "integer":
        return str(int(value))
    text = str(value)
    return csv_safe(text) if col_type in FREE_TEXT else text
