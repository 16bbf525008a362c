"""A minimal streaming XLSX (SpreadsheetML) writer for the Annex A workbook.

Why not openpyxl for the rows: its write-only mode costs ~22 µs a cell here, 27 s for the `large`
county's ~114,000 rows against a 10 s budget for build + workbook (issue 3.6). Here DuckDB renders
each data row's XML straight from the list's Parquet file (set-based, in C++), and Python only
streams the bytes into the zip. The format features used are the small, stable core of ECMA-376:
inline strings (every text cell is a string, so nothing can ever be a formula, annex_a §6.5),
numbers, dates as serial numbers with a `dd/mm/yyyy` style, bold headers, frozen panes,
auto-filters, merged title cells and column widths. Tests read the result back with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb

from annexa.core.files import private_file

# cellXfs indexes of styles.xml below
STYLE_DEFAULT, STYLE_DATE, STYLE_BOLD, STYLE_HEADER, STYLE_TITLE = 0, 1, 2, 3, 4
EXCEL_EPOCH = dt.date(1899, 12, 30)
# characters XML 1.0 cannot hold (a CMS value may contain them); they are dropped
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ILLEGAL_SQL = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]"

_NS = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def col_letter(i: int) -> str:
    """1 -> A, 27 -> AA."""
    s = ""
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def text_xml(value: str) -> str:
    """Escape text for an XML text node, dropping characters XML cannot hold."""
    return escape(_ILLEGAL.sub("", value))


def cell_xml(ref: str, value, style: int = STYLE_DEFAULT, *, as_date: bool = False) -> str:
    """One cell: None -> empty, int -> number, date -> serial with the date style, else text."""
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'<c r="{ref}"{s}/>' if style else ""
    if as_date or isinstance(value, dt.date):
        d = value.date() if isinstance(value, dt.datetime) else value
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(d - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    return (
        f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">'
        f"{text_xml(str(value))}</t></is></c>"
    )


def row_xml(r: int, cells: Iterable, style: int = STYLE_DEFAULT) -> str:
    body = "".join(cell_xml(f"{col_letter(i)}{r}", v, style) for i, v in enumerate(cells, start=1))
    return f'<row r="{r}">{body}</row>'


def parquet_rows_sql(path: Path, columns: list[tuple[str, str]], first_row: int) -> str:
    """SQL rendering one `<row>` per Parquet row, in file order, starting at sheet row
    ``first_row``. ``columns`` are (name, type) with type date | integer | anything else
    (text). Column names come from the reference data (snake_case), the path is quoted."""
    parts = []
    for i, (name, ctype) in enumerate(columns, start=1):
        letter = col_letter(i)
        v = f'"{name}"'
        ref = f"'{letter}' || _r"
        if ctype == "date":
            body = (
                f"'<c r=\"' || {ref} || '\" s=\"{STYLE_DATE}\"><v>' "
                f"|| cast(cast({v} as date) - date '{EXCEL_EPOCH}' as varchar) || '</v></c>'"
            )
        elif ctype == "integer":
            body = (
                f"'<c r=\"' || {ref} || '\"><v>' "
                f"|| cast(cast({v} as bigint) as varchar) || '</v></c>'"
            )
        else:
            txt = (
                f"replace(replace(replace(regexp_replace(cast({v} as varchar), "
                f"'{_ILLEGAL_SQL}', '', 'g'), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
            )
            body = (
                f'\'<c r="\' || {ref} || \'" t="inlineStr"><is><t xml:space="preserve">\' '
                f"|| {txt} || '</t></is></c>'"
            )
        parts.append(f"coalesce({body}, '')")
    lit = str(path).replace("'", "''")
    cells = " || ".join(parts) if parts else "''"
    return (
        f"select '<row r=\"' || _r || '\">' || {cells} || '</row>' as x "
        f"from (select *, cast(file_row_number + {first_row} as varchar) as _r "
        f"from read_parquet('{lit}', file_row_number = true)) order by file_row_number"
    )


@dataclass
class Sheet:
    name: str
    widths: list[float] = field(default_factory=list)
    freeze_row: int | None = None  # rows above this row stay visible (e.g. 3: rows 1-2)
    auto_filter: str | None = None  # e.g. "A2:G100"
    merged: list[str] = field(default_factory=list)
    dimension: str | None = None  # used range, e.g. "A1:G100" (readers size rows by it)
    head: list[str] = field(default_factory=list)  # row XML before the streamed rows
    parquet: tuple[Path, list[tuple[str, str]], int] | None = None  # (path, columns, first row)


class XlsxWriter:
    """Collect sheets, then ``save(path)`` streams them into an owner-only .xlsx file."""

    def __init__(self, title: str = "", creator: str = "") -> None:
        self.sheets: list[Sheet] = []
        self.title, self.creator = title, creator

    def add(self, sheet: Sheet) -> Sheet:
        if len(sheet.name) > 31 or re.search(r"[\[\]:*?/\\]", sheet.name):
            raise ValueError(f"not a valid sheet name: {sheet.name!r}")
        self.sheets.append(sheet)
        return sheet

    def save(self, path: Path, con: duckdb.DuckDBPyConnection | None = None) -> None:
        own = con is None
        con = con or duckdb.connect(":memory:")
        try:
            with (
                private_file(path, "wb") as f,
                zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as z,
            ):
                z.writestr("[Content_Types].xml", self._content_types())
                z.writestr("_rels/.rels", _ROOT_RELS)
                z.writestr("docProps/core.xml", self._core())
                z.writestr("docProps/app.xml", _APP)
                z.writestr("xl/workbook.xml", self._workbook())
                z.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
                z.writestr("xl/styles.xml", _STYLES)
                for i, sheet in enumerate(self.sheets, start=1):
                    with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as part:
                        for chunk in self._sheet_xml(sheet, con):
                            part.write(chunk.encode("utf-8"))
        finally:
            if own:
                con.close()

    # --- parts

    def _sheet_xml(self, s: Sheet, con: duckdb.DuckDBPyConnection) -> Iterator[str]:
        yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>'
        if s.dimension:
            yield f'<dimension ref="{s.dimension}"/>'
        if s.freeze_row and s.freeze_row > 1:
            top = f"A{s.freeze_row}"
            yield (
                '<sheetViews><sheetView workbookViewId="0">'
                f'<pane ySplit="{s.freeze_row - 1}" topLeftCell="{top}" activePane="bottomLeft"'
                ' state="frozen"/><selection pane="bottomLeft" activeCell="'
                f'{top}" sqref="{top}"/></sheetView></sheetViews>'
            )
        else:
            yield '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        yield '<sheetFormatPr defaultRowHeight="15"/>'
        if s.widths:
            yield (
                "<cols>"
                + "".join(
                    f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                    for i, w in enumerate(s.widths, start=1)
                )
                + "</cols>"
            )
        yield "<sheetData>"
        yield from s.head
        if s.parquet:
            path, columns, first = s.parquet
            reader = con.sql(parquet_rows_sql(path, columns, first)).to_arrow_reader(20_000)
            for batch in reader:
                yield "".join(batch.column(0).to_pylist())
        yield "</sheetData>"
        if s.auto_filter:
            yield f'<autoFilter ref="{s.auto_filter}"/>'
        if s.merged:
            yield (
                f'<mergeCells count="{len(s.merged)}">'
                + "".join(f'<mergeCell ref="{m}"/>' for m in s.merged)
                + "</mergeCells>"
            )
        yield (
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3"'
            ' footer="0.3"/>'
        )
        yield "</worksheet>"

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self.sheets) + 1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/'
            'vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            f"{sheets}</Types>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(_abs_range(s.name, s.auto_filter))}</definedName>"
            for i, s in enumerate(self.sheets)
            if s.auto_filter
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<workbook {_NS}><bookViews><workbookView/></bookViews>"
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{names}</definedNames>" if names else "")
            + "</workbook>"
        )

    def _workbook_rels(self) -> str:
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self.sheets) + 1)
        )
        n = len(self.sheets) + 1
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{rels}<Relationship Id="rId{n}" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>'
        )

    def _core(self) -> str:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{text_xml(self.title)}</dc:title>"
            f"<dc:creator>{text_xml(self.creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            "</cp:coreProperties>"
        )


def _abs_range(sheet: str, ref: str) -> str:
    a, _, b = ref.partition(":")

    def absolute(c: str) -> str:
        m = re.match(r"([A-Z]+)(\d+)", c)
        return f"${m[1]}${m[2]}" if m else c

    name = sheet.replace("'", "''")
    return f"'{name}'!{absolute(a)}:{absolute(b or a)}"


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/></Relationships>'
)

_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>annexa</Application></Properties>'
)

# 0 default; 1 date dd/mm/yyyy; 2 bold; 3 bold + wrap, top-aligned (headers); 4 bold 14pt (title)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
