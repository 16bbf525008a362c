"""The indicator catalogue (``reference/indicators.yaml``, spec indicators.md), checked on load.

An LA may add its own benchmarks (region, statistical neighbours, its published DfE values) in a
file of the same shape::

    indicators:
      HP05:
        england: [{year: 2025, value: 85.7, status: published, source: S3}]   # optional
        statistical_neighbours: [{year: 2025, value: 84.1, source: "LAIT"}]
        region: [{year: 2025, value: 83.0}]
        la: [{year: 2025, value: 80.2}]

Values of the same year replace the product's; other years are added. Ids must be in the
catalogue.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from annexa.core.paths import PACKAGE_DIR
from annexa.reference.checks import FastSafeLoader

AREAS = ("help_and_protection", "children_in_care", "care_leavers", "leadership_and_workforce")
UNITS = ("percent", "rate_per_10000", "count", "days", "working_days", "cases_per_worker")
POLARITIES = ("high", "low", "band", "context")
PERIODS = ("W6", "W12", "at_A")
DAY_RULES = ("WD", "CD", "months", "years", "none")
BASES = ("annex_a", "cms")
STATUSES = ("published", "derived", "secondary", "unconfirmed")
BENCHMARK_KEYS = ("england", "statistical_neighbours", "region", "la")
REQUIRED = (
    "title",
    "area",
    "definition",
    "numerator",
    "denominator",
    "period",
    "unit",
    "polarity",
    "day_rule",
    "basis",
    "computed",
    "england",
)


class CatalogueError(ValueError):
    """The catalogue or an LA benchmark file breaks the catalogue's rules."""


def catalogue_path() -> Path:
    return PACKAGE_DIR / "reference" / "indicators.yaml"


def _unique_ids(text: str, where: str) -> None:
    """YAML silently keeps the last of two equal keys: reject duplicate indicator ids."""
    seen: set[str] = set()
    loader = FastSafeLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        return
    for key, value in node.value:
        if key.value != "indicators":
            continue
        for k, _v in value.value:
            if k.value in seen:
                raise CatalogueError(f"{where}: indicator id {k.value!r} appears twice")
            seen.add(k.value)


def _check_values(ind_id: str, key: str, values: Any, default_unit: str, where: str) -> None:
    if not isinstance(values, list):
        raise CatalogueError(f"{where}: {ind_id}.{key} must be a list of values by year")
    for v in values:
        if not isinstance(v, dict) or "year" not in v or "value" not in v:
            raise CatalogueError(f"{where}: {ind_id}.{key} entries need year and value: {v!r}")
        if not isinstance(v["year"], int) or not isinstance(v["value"], int | float):
            raise CatalogueError(
                f"{where}: {ind_id}.{key} year must be an integer and value a number: {v!r}"
            )
        if v.get("unit", default_unit) not in UNITS:
            raise CatalogueError(f"{where}: {ind_id}.{key} unknown unit {v.get('unit')!r}")
        if not isinstance(v.get("compare", True), bool):
            raise CatalogueError(f"{where}: {ind_id}.{key} compare must be true or false")
        if "status" in v and v["status"] not in STATUSES:
            raise CatalogueError(f"{where}: {ind_id}.{key} unknown status {v['status']!r}")


def _check_indicator(ind_id: str, ind: Any, where: str) -> None:
    if not isinstance(ind, dict):
        raise CatalogueError(f"{where}: {ind_id} must be a mapping")
    missing = [k for k in REQUIRED if k not in ind]
    if missing:
        raise CatalogueError(f"{where}: {ind_id} lacks {', '.join(missing)}")
    for key, allowed in (
        ("area", AREAS),
        ("unit", UNITS),
        ("polarity", POLARITIES),
        ("period", PERIODS),
        ("day_rule", DAY_RULES),
        ("basis", BASES),
    ):
        if ind[key] not in allowed:
            raise CatalogueError(
                f"{where}: {ind_id}.{key} = {ind[key]!r}, expected one of {', '.join(allowed)}"
            )
    if not isinstance(ind["computed"], bool):
        raise CatalogueError(f"{where}: {ind_id}.computed must be true or false")
    if not ind["computed"] and not ind.get("reason"):
        raise CatalogueError(f"{where}: {ind_id} is not computed: give the reason")
    if ind["polarity"] == "band" and not isinstance(ind.get("band_lower"), int | float):
        raise CatalogueError(f"{where}: {ind_id} has band polarity: give band_lower")
    for key in BENCHMARK_KEYS:
        if key in ind:
            _check_values(ind_id, key, ind[key], ind["unit"], where)


def _merge_values(base: list[dict], extra: list[dict]) -> list[dict]:
    """Extra values replace base values of the same year and unit; others are added."""

    def key(v: dict) -> tuple:
        return (v["year"], v.get("unit"))

    replaced = {key(v) for v in extra}
    merged = [v for v in base if key(v) not in replaced] + list(extra)
    return sorted(merged, key=lambda v: (v["year"], str(v.get("unit") or "")))


def load_catalogue(
    benchmarks: str | Path | None = None, path: str | Path | None = None
) -> dict[str, dict]:
    """The catalogue as id -> entry (with ``id`` set), checked; ``benchmarks`` is an optional
    LA benchmark file merged into it (England values by year replaced or added; statistical
    neighbour, region and LA values added)."""
    path = Path(path) if path else catalogue_path()
    text = path.read_text()
    _unique_ids(text, str(path))
    doc = yaml.load(text, Loader=FastSafeLoader) or {}
    indicators = doc.get("indicators")
    if not isinstance(indicators, dict) or not indicators:
        raise CatalogueError(f"{path}: no indicators")
    out: dict[str, dict] = {}
    for ind_id, ind in indicators.items():
        _check_indicator(str(ind_id), ind, str(path))
        out[str(ind_id)] = {**copy.deepcopy(ind), "id": str(ind_id)}
    if benchmarks is not None:
        merge_benchmarks(out, benchmarks)
    return out


def merge_benchmarks(catalogue: dict[str, dict], benchmarks: str | Path) -> dict[str, dict]:
    """Merge an LA benchmark file (same shape as the catalogue) into ``catalogue`` in place."""
    bpath = Path(benchmarks)
    text = bpath.read_text()
    _unique_ids(text, str(bpath))
    doc = yaml.load(text, Loader=FastSafeLoader) or {}
    extra = doc.get("indicators") or {}
    if not isinstance(extra, dict):
        raise CatalogueError(f"{bpath}: indicators must be a mapping of id to values")
    for ind_id, values in extra.items():
        ind_id = str(ind_id)
        if ind_id not in catalogue:
            raise CatalogueError(f"{bpath}: {ind_id} is not in the indicator catalogue")
        if not isinstance(values, dict):
            raise CatalogueError(f"{bpath}: {ind_id} must be a mapping")
        unknown = set(values) - set(BENCHMARK_KEYS)
        if unknown:
            raise CatalogueError(
                f"{bpath}: {ind_id} has unknown keys {sorted(unknown)}; "
                f"expected {', '.join(BENCHMARK_KEYS)}"
            )
        entry = catalogue[ind_id]
        for key, vals in values.items():
            _check_values(ind_id, key, vals, entry["unit"], str(bpath))
            entry[key] = _merge_values(entry.get(key) or [], vals)
    return catalogue
