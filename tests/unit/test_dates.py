"""Windows and ages against the spec's worked examples (annex_a.md §3.1, §3.7)."""

import datetime as dt

import pytest

from annexa.core.dates import Windows, add_months, age_at, parse_date

D = dt.date


@pytest.mark.parametrize(
    ("as_at", "w6", "w12"),
    [
        (D(2026, 6, 30), D(2025, 12, 30), D(2025, 6, 30)),
        (D(2026, 8, 31), D(2026, 2, 28), D(2025, 8, 31)),
        (D(2028, 2, 29), D(2027, 8, 29), D(2027, 2, 28)),
        (D(2026, 3, 31), D(2025, 9, 30), D(2025, 3, 31)),
    ],
)
def test_window_starts_match_spec_table(as_at, w6, w12):
    w = Windows.for_date(as_at)
    assert (w.w6_start, w.w12_start) == (w6, w12)


@pytest.mark.parametrize(
    ("dob", "at", "age"),
    [
        (D(2010, 6, 30), D(2026, 6, 30), 16),
        (D(2010, 7, 1), D(2026, 6, 30), 15),
        (D(2008, 2, 29), D(2026, 2, 28), 17),
        (D(2008, 2, 29), D(2026, 3, 1), 18),
    ],
)
def test_age_in_completed_years(dob, at, age):
    assert age_at(dob, at) == age


def test_add_months_clamps_to_month_end():
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2026, 1, 15), -13) == D(2024, 12, 15)


def test_parse_date_rejects_non_iso_with_a_clear_message():
    assert parse_date("2026-03-31") == D(2026, 3, 31)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date("31/03/2026")
