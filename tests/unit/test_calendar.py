"""Working days against indicators.md §6.3 and §6.5 (bank holidays from the `holidays` library)."""

import datetime as dt

import pytest

from annexa.core.calendar import OrdinalCalendar, bank_holidays, calendar_table, working_days

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "wd"),
    [
        (D(2025, 3, 3), D(2025, 3, 3), 0),
        (D(2025, 3, 3), D(2025, 3, 4), 1),
        (D(2025, 3, 1), D(2025, 3, 3), 1),
        (D(2025, 12, 24), D(2025, 12, 29), 1),
        (D(2025, 3, 20), D(2025, 5, 27), 44),
        (D(2025, 3, 20), D(2025, 5, 28), 45),
    ],
)
def test_working_days_worked_examples(start, end, wd, sql_con):
    assert working_days(start, end) == wd
    assert sql_con.execute("select wd(?, ?)", [start, end]).fetchone()[0] == wd  # the SQL macro


@pytest.fixture(scope="module")
def sql_con(tmp_path_factory):
    """The runner's DuckDB connection with its reference tables and macros (wd() et al.)."""
    from annexa.core.dates import Windows
    from annexa.transform.mapping import Mapping
    from annexa.transform.runner import connect, register_reference

    con = connect(tmp_path_factory.mktemp("duck"))
    register_reference(
        con,
        Windows.for_date(D(2026, 3, 31)),
        la_code="999",
        la_name="",
        version="later",
        mapping=Mapping(),
    )
    yield con
    con.close()


def _nth_working_day(start: dt.date, n: int) -> dt.date:
    d = start
    while working_days(start, d) < n:
        d += dt.timedelta(days=1)
    return d


@pytest.mark.parametrize(
    ("start", "n", "last"),
    [
        (D(2025, 4, 17), 15, D(2025, 5, 13)),
        (D(2022, 9, 12), 15, D(2022, 10, 4)),
        (D(2025, 12, 24), 15, D(2026, 1, 19)),
        (D(2025, 3, 1), 45, D(2025, 5, 7)),
    ],
)
def test_last_day_within_n_working_days(start, n, last):
    assert _nth_working_day(start, n) == last


def test_bank_holidays_include_moved_and_one_off_days():
    hols = bank_holidays()
    assert D(2020, 5, 8) in hols and D(2020, 5, 4) not in hols
    assert D(2022, 9, 19) in hols
    assert {
        D(2026, 1, 1),
        D(2026, 4, 3),
        D(2026, 4, 6),
        D(2026, 5, 4),
        D(2026, 5, 25),
        D(2026, 8, 31),
        D(2026, 12, 25),
        D(2026, 12, 28),
    } == {d for d in hols if d.year == 2026}


def test_calendar_table_index_gives_the_same_counts():
    t = calendar_table(2025, 2026).to_pydict()
    index = dict(zip(t["d"], t["wd_index"], strict=True))
    assert index[D(2025, 5, 28)] - index[D(2025, 3, 20)] == 45
    assert index[D(2025, 12, 29)] - index[D(2025, 12, 24)] == 1


@pytest.mark.parametrize(
    ("start", "n", "last"),
    [
        (D(2025, 4, 17), 15, D(2025, 5, 13)),
        (D(2022, 9, 12), 15, D(2022, 10, 4)),
        (D(2025, 12, 24), 15, D(2026, 1, 19)),
        (D(2025, 3, 1), 45, D(2025, 5, 7)),
        (D(2025, 3, 3), 0, D(2025, 3, 3)),
    ],
)
def test_ordinal_calendar_nth_working_day(start, n, last):
    """The synthetic generator's ordinal calendar: the same worked examples as the SQL rule."""
    cal = OrdinalCalendar(D(2020, 1, 1).toordinal(), D(2027, 12, 31).toordinal())
    assert cal.add_wd(start.toordinal(), n) == last.toordinal()
    assert cal.wd(start.toordinal(), last.toordinal()) == n


def test_ordinal_calendar_agrees_with_working_days_over_two_years():
    cal = OrdinalCalendar(D(2024, 1, 1).toordinal(), D(2026, 12, 31).toordinal())
    s = D(2024, 12, 20)
    for k in range(0, 500, 7):
        e = s + dt.timedelta(days=k)
        assert cal.wd(s.toordinal(), e.toordinal()) == working_days(s, e)
