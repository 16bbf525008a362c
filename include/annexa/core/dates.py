"""Calendar arithmetic for the as-at date: windows, ages (spec annex_a.md §3.1, §3.7).

Pure functions on ``datetime.date``; the SQL uses DuckDB's month arithmetic, which clamps to the
end of the month in the same way (tests pin both to the spec's worked examples).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


def add_months(d: dt.date, months: int) -> dt.date:
    """Same day-of-month ``months`` later (negative: earlier), clamped to the month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def age_at(dob: dt.date, at: dt.date) -> int:
    """Completed years at ``at``; a 29 February birthday is reached on 1 March in common years."""
    return at.year - dob.year - ((at.month, at.day) < (dob.month, dob.day))


def parse_date(value: str | dt.date) -> dt.date:
    """Parse an ISO date (YYYY-MM-DD) with an error that says what was expected."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"not a date in YYYY-MM-DD form: {value!r}") from None


@dataclass(frozen=True)
class Windows:
    """The as-at date A and the first days of its 6- and 12-month windows (both ends inclusive)."""

    as_at: dt.date
    w6_start: dt.date
    w12_start: dt.date

    @classmethod
    def for_date(cls, as_at: dt.date) -> Windows:
        return cls(as_at, add_months(as_at, -6), add_months(as_at, -12))
