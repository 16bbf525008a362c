"""The pack's indicators: the indicators layer's rows joined to the catalogue.

Each registered ``sql/indicators/<id>.sql`` is one ``select`` returning exactly one row
(indicator_id, numerator, denominator, value, period_start, period_end), run by
``annexa.transform.runner`` in the build on the connection that holds the lists. Here the rows
are joined to the catalogue (``reference/indicators.yaml``: titles, units, benchmarks) and
compared with the latest England value of the same unit, respecting polarity (spec
indicators.md §1.5, §7.4).

Rates per 10,000 (unit ``rate_per_10000``): the SQL gives the count as the numerator and no
value, because the 0-17 population is not in the CMS. ``with_rate`` adds it from the LA's
population file (``annexa.reference.population``): the denominator is the 0-17 population, the
value the count (doubled for a 6-month period, "annualised from 6 months") per 10,000.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb

from annexa.core.registry import queries
from annexa.pack.catalogue import load_catalogue
from annexa.reference.population import population_0_17
from annexa.transform.runner import INDICATOR_COLUMNS as COLUMNS
from annexa.transform.runner import IndicatorError, run_indicator, run_indicators

__all__ = ["COLUMNS", "IndicatorError", "compute_indicators", "join_catalogue", "run_indicator"]
PERIOD_LABELS = {"W6": "6 months to {end}", "W12": "12 months to {end}", "at_A": "at {end}"}
ANNUALISE = {"W6": 2.0}  # a 6-month count x 2 is a year's (indicators.md HP02, HP07)


def indicator_files() -> list[Path]:
    """The registered indicator files, in registry order."""
    return [q.path for q in queries("indicators")]


def with_rate(row: dict, entry: dict, la_code: str | None) -> dict:
    """The row with its rate per 10,000 filled from the LA's 0-17 population (when the SQL left
    the value empty and a population is supplied); any other row unchanged."""
    if entry.get("unit") != "rate_per_10000" or row["value"] is not None:
        return row
    if row["numerator"] is None or la_code is None or row["period_end"] is None:
        return row
    end = row["period_end"]
    end = end if isinstance(end, dt.date) else dt.date.fromisoformat(str(end)[:10])
    found = population_0_17(la_code, end)
    if found is None or found[1] <= 0:
        return row
    factor = ANNUALISE.get(entry.get("period") or "", 1.0)
    value = row["numerator"] * factor / found[1] * 10_000
    return row | {"denominator": float(found[1]), "value": value, "population_year": found[0]}


def _run_la(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        got = con.sql("select la_code from run_params").fetchall()
    except duckdb.Error:
        return None
    return str(got[0][0]) if got else None


def comparable(entry: dict, value: dict) -> bool:
    """A benchmark value is compared only in the indicator's own unit and when not marked
    ``compare: false`` (a different measure shown for context)."""
    return value.get("unit", entry["unit"]) == entry["unit"] and value.get("compare", True)


def latest_england(entry: dict) -> dict | None:
    """The latest comparable England value, else the latest England value of any kind."""
    values = entry.get("england") or []
    pool = [v for v in values if comparable(entry, v)] or values
    return max(pool, key=lambda v: v["year"]) if pool else None


def compare(
    value: float | None, benchmark: float | None, polarity: str, band_lower: float | None = None
) -> str:
    """Marker against a benchmark (§1.5, §7.4): better | worse | same (equal at one decimal
    place) | n/a; context indicators say higher | lower; band indicators say warning below
    their lower bound, else as low."""
    if value is None or benchmark is None:
        return "n/a"
    if polarity == "band" and band_lower is not None and round(value, 1) < band_lower:
        return "warning"
    a, b = round(value, 1), round(benchmark, 1)
    if a == b:
        return "same"
    if polarity == "context":
        return "higher" if a > b else "lower"
    higher_is_better = polarity == "high"
    return "better" if (a > b) == higher_is_better else "worse"


def _label(period: str, start: dt.date | None, end: dt.date | None) -> str:
    fmt = PERIOD_LABELS.get(period, "{start} to {end}")
    return fmt.format(
        start=start.strftime("%d/%m/%Y") if start else "",
        end=end.strftime("%d/%m/%Y") if end else "",
    )


def compute_indicators(
    con: duckdb.DuckDBPyConnection, *, catalogue: dict[str, dict] | None = None
) -> list[dict]:
    """Run every registered indicator on a built connection and join the rows to the
    catalogue (``join_catalogue``), with the rates of the run's LA."""
    return join_catalogue(run_indicators(con), catalogue=catalogue, la_code=_run_la(con))


def join_catalogue(
    rows: list[dict], *, catalogue: dict[str, dict] | None = None, la_code: str | None = None
) -> list[dict]:
    """One dict per indicator row, in registry order, with its catalogue entry's title, area,
    unit and polarity, the period, the latest England value of the same unit (and its year) and
    the marker against it; then every catalogue indicator with no SQL, as not computed. With
    ``la_code``, rates per 10,000 are filled from the LA's population (``with_rate``)."""
    if catalogue is None:  # an LA's statistical neighbours / region / own targets, if given
        catalogue = load_catalogue(benchmarks=os.environ.get("ANNEXA_BENCHMARKS") or None)
    out = []
    for row in rows:
        ind_id = row["indicator_id"]
        entry = catalogue.get(ind_id)
        if entry is None:
            name = f"{str(ind_id).lower()}.sql"
            raise IndicatorError(f"indicator {ind_id} ({name}) is not in the catalogue")
        row = with_rate(row, entry, la_code)
        eng = latest_england(entry)
        eng_unit = eng.get("unit", entry["unit"]) if eng else None
        is_comparable = eng is not None and comparable(entry, eng)
        out.append(
            {
                "id": ind_id,
                "title": entry["title"],
                "area": entry["area"],
                "definition": entry.get("definition"),
                "value": row["value"],
                "numerator": row["numerator"],
                "denominator": row["denominator"],
                "unit": entry["unit"],
                "polarity": entry["polarity"],
                "period": entry["period"],
                "period_start": row["period_start"],
                "period_end": row["period_end"],
                "period_label": _label(entry["period"], row["period_start"], row["period_end"])
                + (" (annualised)" if "population_year" in row and entry["period"] == "W6" else ""),
                "population_year": row.get("population_year"),
                "basis": entry["basis"],
                "england_value": eng["value"] if eng else None,
                "england_year": eng["year"] if eng else None,
                "england_unit": eng_unit,
                "england_status": eng.get("status") if eng else None,
                "england_comparable": is_comparable,
                "marker": compare(
                    row["value"],
                    eng["value"] if eng is not None and is_comparable else None,
                    entry["polarity"],
                    entry.get("band_lower"),
                ),
                "other_benchmarks": other_benchmarks(entry),
            }
        )
    done = {r["id"] for r in out}
    for ind_id, entry in catalogue.items():  # every indicator of the spec appears in the pack
        if ind_id in done:
            continue
        eng = latest_england(entry)
        out.append(
            {
                "id": ind_id,
                "title": entry["title"],
                "area": entry["area"],
                "definition": entry.get("definition"),
                "value": None,
                "numerator": None,
                "denominator": None,
                "unit": entry["unit"],
                "polarity": entry["polarity"],
                "period": entry["period"],
                "period_start": None,
                "period_end": None,
                "period_label": "not computed: " + str(entry.get("reason") or "no SQL yet"),
                "basis": entry["basis"],
                "england_value": eng["value"] if eng else None,
                "england_year": eng["year"] if eng else None,
                "england_unit": eng.get("unit", entry["unit"]) if eng else None,
                "england_status": eng.get("status") if eng else None,
                "england_comparable": False,
                "marker": "n/a",
                "other_benchmarks": other_benchmarks(entry),
            }
        )
    return out


def other_benchmarks(entry: dict) -> dict[str, dict]:
    """The latest statistical-neighbour, region and LA-target values an LA added (same unit)."""
    out = {}
    for key in ("statistical_neighbours", "region", "la"):
        vals = [
            v
            for v in entry.get(key) or []
            if v.get("unit", entry["unit"]) == entry["unit"] and v.get("value") is not None
        ]
        if vals:
            v = max(vals, key=lambda x: x["year"])
            out[key] = {"value": v["value"], "year": v["year"]}
    return out
