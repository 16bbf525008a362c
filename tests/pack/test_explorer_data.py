"""The explorer's data (annexa.pack.explorer.list_data): what the page's script decodes. Dates
travel as whole days after the column's earliest date; low-cardinality columns as a
dictionary. Expected values worked out by hand."""

from __future__ import annotations

import csv

import pytest

from annexa.pack.explorer import list_data

pytestmark = pytest.mark.unit

HEADER = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Date of Contact",
    "Contact Source",
]
ROWS = [
    ["C1", "a) Male", "a) WBRI", "29/02/2008", "18", "01/03/2026", "q) 6: Police"],
    ["C2", "b) Female", "a) WBRI", "", "", "28/02/2026", "g) 3A: Health services"],
    ["C3", "a) Male", "a) WBRI", "31/12/2025", "0", "31/12/2025", "q) 6: Police"],
]


def test_dates_travel_as_days_after_the_columns_first_date(tmp_path):
    path = tmp_path / "list_1.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    d = list_data(1, path)
    cols = {c["k"]: c for c in d["cols"]}
    # Date of Birth: first date 29/02/2008; 31/12/2025 is 6515 days later: 1 day to
    # 01/03/2008, 17 years to 01/03/2025 (17 x 365 + the 29 Februarys of 2012, 2016, 2020,
    # 2024 = 6209), then 305 days to 31/12/2025; a blank stays blank
    assert cols["date_of_birth"]["b"] == "2008-02-29"
    assert [r[3] for r in d["rows"]] == [0, "", 6515]
    # Date of Contact: first 31/12/2025; 28/02/2026 is 59 days later, 01/03/2026 60
    assert cols["date_of_contact"]["b"] == "2025-12-31"
    assert [r[5] for r in d["rows"]] == [60, 59, 0]
    # the source as a dictionary: sorted values and indices
    assert cols["contact_source"]["d"] == ["g) 3A: Health services", "q) 6: Police"]
    assert [r[6] for r in d["rows"]] == [1, 0, 1]
    assert [r[0] for r in d["rows"]] == ["C1", "C2", "C3"]  # ids as text


def test_a_date_column_with_other_text_stays_text(tmp_path):
    path = tmp_path / "list_1.csv"
    rows = [list(r) for r in ROWS]
    rows[1][5] = "2026-02-28"  # not DD/MM/YYYY
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *rows])
    d = list_data(1, path)
    cols = {c["k"]: c for c in d["cols"]}
    assert "b" not in cols["date_of_contact"]
    assert [r[5] for r in d["rows"]] == ["01/03/2026", "2026-02-28", "31/12/2025"]
