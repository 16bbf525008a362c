"""The Annex A workbook (streamed SpreadsheetML, see annexa.publish.xlsx) and CSVs.

Layouts (annex_a.md §6): ``ofsted`` (Front_Sheet, Codes_used, List_1..List_11 with the title
in row 1, headers in row 2, data from row 3) and ``liia`` (List 1..List 11, headers in row 1).
Dates are real Excel dates shown dd/mm/yyyy; free text is always a text cell, never a formula
(§6.5); CSVs prefix risky free text with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from annexa import reference
from annexa.core.files import private_file
from annexa.core.text import csv_safe
from annexa.publish.xlsx import (
    STYLE_BOLD,
    STYLE_HEADER,
    STYLE_TITLE,
    Sheet,
    XlsxWriter,
    col_letter,
    row_xml,
)

LAYOUTS = ("ofsted", "liia")
FREE_TEXT = ("id", "text", "postcode")
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


def _count(path: Path | None) -> int:
    return pq.ParquetFile(path).metadata.num_rows if path else 0


def _width(col_type: str) -> float:
    return 12 if col_type in ("date", "integer") else 28 if col_type == "code" else 22


def _front_sheet(facts: ReturnFacts, counts: dict[int, int], specs: list) -> Sheet:
    rows = [
        ("Local authority", facts.la_name or facts.la_code),
        ("LA code", facts.la_code),
        ("As-at date", facts.as_at),
        ("6-month window starts", facts.w6_start),
        ("12-month window starts", facts.w12_start),
        ("Annex A version", facts.version),
        ("Generated", facts.generated_at.strftime("%d/%m/%Y %H:%M:%S UTC")),
    ]
    head = [row_xml(1, ["Annex A - Child level data"], STYLE_TITLE)]
    r = 3
    for label, value in rows:
        head.append(row_xml(r, [label, value]))
        r += 1
    head.append(row_xml(r + 1, ["Rows per list"], STYLE_BOLD))
    r += 2
    for spec in specs:
        head.append(row_xml(r, [spec.title, counts.get(spec.number, 0)]))
        r += 1
    return Sheet("Front_Sheet", widths=[38, 48], head=head, dimension=f"A1:B{r - 1}")


def _codes_sheet(specs: list, version: str) -> Sheet:
    head: list[str] = []
    seen: set[tuple[str, str]] = set()
    r = 1
    for spec in specs:
        for col in spec.columns:
            if col.type != "code" or not col.codes or (col.header, col.codes) in seen:
                continue
            seen.add((col.header, col.codes))
            head.append(row_xml(r, [f"{spec.sheet}: {col.header.strip()}"], STYLE_BOLD))
            r += 1
            for code in reference.code_strings(col.codes, version):
                head.append(row_xml(r, [code]))
                r += 1
            r += 1
    return Sheet("Codes_used", widths=[80], head=head, dimension=f"A1:A{max(r - 1, 1)}")


def write_workbook(
    path: Path, lists: dict[int, Path], facts: ReturnFacts, layout: str = "ofsted"
) -> dict[int, int]:
    """Write the workbook for every list of the version; returns rows written per list.

    Rows stream from each list's Parquet file (annexa.publish.xlsx), so memory stays flat at any
    scale. Text cells are inline strings: a value starting with '=' stays text (§6.5)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}: {layout!r}")
    specs = reference.list_specs(facts.version)
    counts = {s.number: _count(lists.get(s.number)) for s in specs}
    book = XlsxWriter(
        title=f"Annex A - {facts.la_name or facts.la_code} - {facts.as_at:%d/%m/%Y}",
        creator=facts.la_name or "",
    )
    if layout == "ofsted":
        book.add(_front_sheet(facts, counts, specs))
        book.add(_codes_sheet(specs, facts.version))
    for spec in specs:
        cols = spec.columns
        last = col_letter(len(cols))
        header_row = 2 if layout == "ofsted" else 1
        sheet = Sheet(
            spec.sheet if layout == "ofsted" else spec.liia_sheet,
            widths=[_width(c.type) for c in cols],
            freeze_row=header_row + 1,
            auto_filter=f"A{header_row}:{last}{header_row + counts[spec.number]}",
            dimension=f"A1:{last}{header_row + counts[spec.number]}",
        )
        if layout == "ofsted":
            sheet.head.append(row_xml(1, [spec.title], STYLE_BOLD))
            sheet.merged.append(f"A1:{last}1")
        sheet.head.append(row_xml(header_row, [c.header_for(layout) for c in cols], STYLE_HEADER))
        if lists.get(spec.number) is not None:
            sheet.parquet = (lists[spec.number], [(c.key, c.type) for c in cols], header_row + 1)
        book.add(sheet)
    book.save(path)
    return counts


def write_csvs(folder: Path, lists: dict[int, Path], facts: ReturnFacts) -> dict[int, Path]:
    """One CSV per list (UTF-8, no BOM, Ofsted headers, DD/MM/YYYY dates)."""
    out: dict[int, Path] = {}
    for spec in reference.list_specs(facts.version):
        path = folder / csv_name(facts.la_code, facts.as_at, spec.number)
        cols = spec.columns
        with private_file(path, "w") as f:  # UTF-8, newlines as the csv module writes them
            w = csv.writer(f)
            w.writerow([c.header for c in cols])
            for batch in _columns(lists.get(spec.number), [c.key for c in cols]):
                # column by column, each with its type's converter chosen once (csv_value's
                # rules): a backfill writes ~1.2 M cells per month end at large (issue 10)
                w.writerows(
                    zip(
                        *(_csv_column(v, c.type) for v, c in zip(batch, cols, strict=True)),
                        strict=True,
                    )
                )
        out[spec.number] = path
    return out


def _columns(path: Path | None, keys: list[str]) -> Iterator[list[list]]:
    """The list's columns as Python lists, ``keys`` in order, 20,000 rows at a time."""
    if path is None:
        return
    for batch in pq.ParquetFile(path).iter_batches(batch_size=20_000, columns=keys):
        yield [batch.column(k).to_pylist() for k in keys]


def _csv_column(values: list, col_type: str) -> list[str]:
    """``csv_value`` of every value of one column (dates, which repeat, rendered once each)."""
    if col_type == "date":
        seen: dict = {None: ""}
        out = []
        for v in values:
            text = seen.get(v)
            if text is None:
                text = seen[v] = v.strftime("%d/%m/%Y")
            out.append(text)
        return out
    if col_type == "integer":
        return ["" if v is None else str(int(v)) for v in values]
    if col_type in FREE_TEXT:
        return ["" if v is None else csv_safe(str(v)) for v in values]
    return ["" if v is None else str(v) for v in values]


def csv_value(value, col_type: str) -> str:
    if value is None:
        return ""
    if col_type == "date":
        return value.strftime("%d/%m/%Y")
    if col_type == "integer":
        return str(int(value))
    text = str(value)
    return csv_safe(text) if col_type in FREE_TEXT else text
