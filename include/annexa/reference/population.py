"""Population aged 0-17 (ONS mid-year estimates) for the rates per 10,000 (indicators.md §1.3).

The CMS does not hold the population, so an LA supplies it as a CSV of the shape of the shipped
``population.csv`` (which carries only the synthetic LA 999, sized for the ``small`` demo):

    la_code,mid_year,age,population
    E06000001,2024,0,1052
    ...

one row per LA, mid-year (the estimate's year: population at 30 June) and single year of age
0-17, copied from the ONS "Estimates of the population for England and Wales" (MYE2, persons,
by single year of age) for the LA's code. ``ANNEXA_POPULATION`` names that file; without it the
shipped file is read. A rate uses the latest mid-year estimate dated on or before the period's
end (the earliest one when the period precedes them all), as DfE uses the estimate of the
middle of the year it reports.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import os
from pathlib import Path

from annexa.reference.loader import reference_dir
from annexa.reference.model import ReferenceDataError

COLUMNS = ("la_code", "mid_year", "age", "population")


def population_file() -> Path:
    """The CSV read: ``ANNEXA_POPULATION`` if set, else the shipped ``population.csv``."""
    env = os.environ.get("ANNEXA_POPULATION")
    return Path(env).expanduser() if env else reference_dir() / "population.csv"


@functools.cache
def _read(path: Path, mtime: float) -> dict[str, dict[int, dict[int, int]]]:
    out: dict[str, dict[int, dict[int, int]]] = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ReferenceDataError(f"{path.name}: columns must be {', '.join(COLUMNS)}")
        for n, row in enumerate(reader, start=2):
            try:
                year, age, pop = int(row["mid_year"]), int(row["age"]), int(row["population"])
            except (TypeError, ValueError):
                raise ReferenceDataError(f"{path.name} line {n}: not whole numbers") from None
            if not 0 <= age <= 17 or pop < 0:
                raise ReferenceDataError(f"{path.name} line {n}: age 0-17, population >= 0")
            ages = out.setdefault(row["la_code"].strip(), {}).setdefault(year, {})
            if age in ages:
                raise ReferenceDataError(f"{path.name} line {n}: age {age} repeated")
            ages[age] = pop
    return out


def population_by_age(la_code: str, on: dt.date) -> tuple[int, dict[int, int]] | None:
    """(mid-year, {age: population}) of the estimate used for a period ending ``on``; None when
    the file has no complete 0-17 estimate for the LA."""
    path = population_file()
    if not path.is_file():
        return None
    years = {
        y: ages
        for y, ages in _read(path, path.stat().st_mtime).get(str(la_code), {}).items()
        if len(ages) == 18
    }
    if not years:
        return None
    usable = [y for y in years if dt.date(y, 6, 30) <= on]
    year = max(usable) if usable else min(years)
    return year, dict(years[year])


def population_0_17(la_code: str, on: dt.date) -> tuple[int, int] | None:
    """(mid-year, population aged 0-17) for a period ending ``on``; None when not supplied."""
    found = population_by_age(la_code, on)
    return None if found is None else (found[0], sum(found[1].values()))
