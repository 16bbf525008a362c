"""Workbook and CSV: Ofsted and regional layouts, real dates, no formulas, owner-only files."""

import csv
import datetime as dt
import os
import stat

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from annexa.core.text import csv_safe
from annexa.publish.workbook import ReturnFacts, write_csvs, write_workbook

D = dt.date
FACTS = ReturnFacts(
    "999",
    "Synthshire",
    D(2026, 6, 30),
    D(2025, 12, 30),
    D(2025, 6, 30),
    "later",
    dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.UTC),
)


@pytest.fixture
def list1(tmp_path):
    t = pa.table(
        {
            "child_unique_id": ['=HYPERLINK("http://x")', "007"],
            "gender": ["b) Female", "a) Male"],
            "ethnicity": ["a) WBRI", "s) NOBT"],
            "date_of_birth": pa.array([D(2010, 6, 30), None], pa.date32()),
            "age": pa.array([16, None], pa.int64()),
            "date_of_contact": pa.array([D(2026, 1, 2), D(2026, 6, 30)], pa.date32()),
            "contact_source": ["q) 6: Police", "u) 10: Unknown"],
            "_record_id": ["C1", "C2"],
        }
    )
    path = tmp_path / "list_1.parquet"
    pq.write_table(t, path)
    return {1: path}


def test_ofsted_layout(tmp_path, list1):
    path = tmp_path / "annex.xlsx"
    counts = write_workbook(path, list1, FACTS)
    assert counts[1] == 2 and counts[11] == 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["Front_Sheet", "Codes_used", "List_1"]
    assert wb.sheetnames[-1] == "List_11" and len(wb.sheetnames) == 13
    ws = wb["List_1"]
    assert ws["A1"].value == "List 1: Contacts"
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Date of Contact",
        "Contact Source",
    ]
    assert ws.freeze_panes == "A3"
    # free text is text, never a formula; leading zeros kept
    assert ws["A3"].value == '=HYPERLINK("http://x")' and ws["A3"].data_type == "s"
    assert ws["A4"].value == "007"
    # real Excel dates, shown dd/mm/yyyy; integers as numbers; blanks empty
    assert ws["D3"].value == dt.datetime(2010, 6, 30) and ws["D3"].number_format == "dd/mm/yyyy"
    assert ws["E3"].value == 16 and ws["E4"].value is None and ws["D4"].value is None
    empty = wb["List_11"]
    assert empty.max_row == 2  # D28: title and headers only


def test_liia_layout_has_headers_in_row_1_and_only_list_sheets(tmp_path, list1):
    path = tmp_path / "annex.xlsx"
    write_workbook(path, list1, FACTS, layout="liia")
    wb = load_workbook(path)
    assert wb.sheetnames == [f"List {n}" for n in range(1, 12)]
    assert wb["List 1"]["A1"].value == "Child Unique ID"
    assert wb["List 1"]["A2"].data_type == "s"


def test_csv_neutralises_formulas_and_writes_uk_dates(tmp_path, list1):
    files = write_csvs(tmp_path, list1, FACTS)
    assert files[1].name == "annex_a_999_2026-06-30_list_1.csv"
    raw = files[1].read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[1][3] == "30/06/2010" and rows[1][4] == "16" and rows[2][4] == ""
    assert len(files) == 11


@pytest.mark.parametrize("value", ["=1+1", "+44", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_safe_prefixes_risky_text(value):
    assert csv_safe(value) == "'" + value
    assert csv_safe("Team A") == "Team A"


def test_text_is_escaped_and_every_part_is_well_formed_xml(tmp_path):
    """Markup, ampersands, quotes, control characters and curly quotes survive as plain text."""
    import xml.etree.ElementTree as ET
    import zipfile

    t = pa.table(
        {
            "child_unique_id": ["<b>&amp;\"'", "A\x01B\x1fC", " lead"],
            "gender": ["b) Female"] * 3,
            "ethnicity": ["a) WBRI"] * 3,
            "date_of_birth": pa.array([D(1900, 3, 1), D(2026, 6, 30), None], pa.date32()),
            "age": pa.array([0, -1, 2_000_000_000], pa.int64()),
            "date_of_contact": pa.array([D(2026, 1, 2)] * 3, pa.date32()),
            "contact_source": ["q) 6: Police", "Child’s ‘x’", "é"],
        }
    )
    pq.write_table(t, tmp_path / "l1.parquet")
    path = tmp_path / "book.xlsx"
    write_workbook(path, {1: tmp_path / "l1.parquet"}, FACTS)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                ET.fromstring(z.read(name))  # raises on malformed XML
    ws = load_workbook(path)["List_1"]
    assert [ws.cell(r, 1).value for r in (3, 4, 5)] == ["<b>&amp;\"'", "ABC", " lead"]
    assert ws["D3"].value == dt.datetime(1900, 3, 1) and ws["D4"].value == dt.datetime(2026, 6, 30)
    assert [ws.cell(r, 5).value for r in (3, 4, 5)] == [0, -1, 2_000_000_000]
    assert ws["G4"].value == "Child’s ‘x’" and ws["G5"].value == "é"
    assert ws.auto_filter.ref == "A2:G5"
    wb = load_workbook(path)
    assert wb["List_7"].max_row == 2 and wb["List_7"]["A2"].value == "Child Unique ID"
    headers = [c.value for c in wb["List_8"][2]]
    assert (
        "Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 months"
    ) in headers
    assert "Date Ceased to be Looked After " in headers  # trailing space kept (annex_a §5)


def test_read_only_readers_see_full_width_rows(tmp_path, list1):
    """The sheet declares its used range, so streaming readers (openpyxl read-only, pandas)
    pad rows whose last cells are blank to the full width."""
    path = tmp_path / "book.xlsx"
    write_workbook(path, list1, FACTS)
    ws = load_workbook(path, read_only=True)["List_1"]
    rows = list(ws.iter_rows(values_only=True))
    assert {len(r) for r in rows} == {7} and len(rows) == 4
