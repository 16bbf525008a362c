"""Leaf types and date helpers of the journey model (every other generator module imports these)."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from functools import cache
from typing import Any

from annexa.core.dates import add_months

Row = tuple[Any, ...]
Batch = dict[str, list[Row]]
NEVER = 10**7  # an ordinal later than any date used


_ADD_MO: dict[tuple[int, int], int] = {}


def add_mo(d: int, months: int) -> int:
    """Calendar-month arithmetic on ordinals (end-of-month clamping, as the spec's windows).

    Memoised: the model asks for the same few offsets (18th birthdays, windows, reviews) of a
    few thousand days hundreds of thousands of times; the table stays small (days x offsets).
    """
    key = (d, months)
    out = _ADD_MO.get(key)
    if out is None:
        out = _ADD_MO[key] = add_months(dt.date.fromordinal(d), months).toordinal()
    return out


def lognorm(rng: random.Random, median: float, sigma: float) -> int:
    """A log-normal duration in days (at least 1) with the given median."""
    return max(1, int(median * math.exp(sigma * rng.gauss(0.0, 1.0))))


@cache
def flags_json(*pairs: tuple[str, str]) -> str:
    """The JSON text of a few Y/N flags (``json.dumps`` of the pairs as an object), memoised: a
    handful of distinct texts, asked for once per assessment, enquiry and conference."""
    return json.dumps(dict(pairs))
