"""England and Wales working days (spec indicators.md §6), from the maintained `holidays` library.

WD(s, e) counts working days d with s < d <= e: the start day is day 0. The SQL gets the same
rule from a calendar table whose ``wd_index`` is the running count of working days, so
WD(s, e) = wd_index(e) - wd_index(s).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays
import pyarrow as pa

FIRST_YEAR, LAST_YEAR = 1990, 2045


@cache
def bank_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> frozenset[dt.date]:
    """Weekday bank holidays in England and Wales (weekend entries are irrelevant to WD)."""
    h = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return frozenset(d for d in h if d.weekday() < 5)


def is_working_day(d: dt.date) -> bool:
    return d.weekday() < 5 and d not in bank_holidays()


def working_days(start: dt.date, end: dt.date) -> int:
    """WD(start, end): working days after ``start`` up to and including ``end`` (negative if
    ``end`` is before ``start``)."""
    if end < start:
        return -working_days(end, start)
    n, d = 0, start
    while d < end:
        d += dt.timedelta(days=1)
        n += is_working_day(d)
    return n


def calendar_table(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> pa.Table:
    """One row per calendar day: d, is_working_day, wd_index (running count of working days)."""
    days, flags, index = [], [], []
    d, end, n = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31), 0
    hol = bank_holidays(first_year, last_year)
    while d <= end:
        working = d.weekday() < 5 and d not in hol
        n += working
        days.append(d)
        flags.append(working)
        index.append(n)
        d += dt.timedelta(days=1)
    return pa.table(
        {
            "d": pa.array(days, pa.date32()),
            "is_working_day": flags,
            "wd_index": pa.array(index, pa.int32()),
        }
    )


class OrdinalCalendar:
    """Working-day arithmetic on date ordinals over a fixed span, for hot loops.

    Why: the synthetic generator asks "the n-th working day after s" millions of times; a running
    count over the span answers in O(1) with the same rule as :func:`working_days`.
    """

    def __init__(self, first: int, last: int) -> None:
        y0, y1 = dt.date.fromordinal(first).year, dt.date.fromordinal(last).year
        hol = {d.toordinal() for d in bank_holidays(min(y0, FIRST_YEAR), max(y1, LAST_YEAR))}
        self.first, self.last = first, last
        self.cnt: list[int] = []  # working days <= first + i
        self.days: list[int] = []  # the working days, ascending
        n = 0
        for d in range(first, last + 1):
            if (d - 1) % 7 < 5 and d not in hol:
                n += 1
                self.days.append(d)
            self.cnt.append(n)

    def wd(self, s: int, e: int) -> int:
        """WD(s, e) on ordinals: working days d with s < d <= e (start day is day 0)."""
        return self.cnt[e - self.first] - self.cnt[s - self.first]

    def add_wd(self, s: int, n: int) -> int:
        """The n-th working day after s (n = 0 gives s itself)."""
        if n <= 0:
            return s
        i = self.cnt[s - self.first] + n - 1
        return self.days[min(i, len(self.days) - 1)]
