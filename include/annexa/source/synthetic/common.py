"""Leaf types and date helpers of the journey model (every other generator module imports these)."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from annexa.core.dates import add_months

Row = tuple[Any, ...]
Batch = dict[str, list[Row]]
NEVER = 10**7  # an ordinal later than any date used


def add_mo(d: int, months: int) -> int:
    """Calendar-month arithmetic on ordinals (end-of-month clamping, as the spec's windows)."""
    return add_months(dt.date.fromordinal(d), months).toordinal()


def lognorm(rng: random.Random, median: float, sigma: float) -> int:
    """A log-normal duration in days (at least 1) with the given median."""
    return max(1, int(median * math.exp(sigma * rng.gauss(0.0, 1.0))))
