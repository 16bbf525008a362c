"""Validate built lists with Great Expectations 1.x, run inside our own task (STACK.md §6-7).

Each list's suite is generated from its contract in ``annexa.reference`` (columns in order,
required cells, code strings of the run's version, date and integer bounds, the row key) and
extended by the JSON suite of the same name in ``expectations/`` when one exists. Results are
reduced to a small JSON-able summary holding counts and record ids only: no names, dates of birth
or free text ever reach logs or XCom.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
from pathlib import Path

from annexa import reference
from annexa.dates import Windows, add_months
from annexa.paths import expectations_dir

ID_COLUMN = "_record_id"
MIN_DATE = dt.date(1900, 1, 2)


def _day_number(d: dt.date) -> int:
    """Days since 1970-01-01: GX compares these reliably, whatever pandas' datetime unit."""
    return (d - dt.date(1970, 1, 1)).days
SAMPLE = 20


def suite_name(number: int) -> str:
    from annexa.transform.runner import list_number, manifest

    for model in manifest().get("annex_a") or []:
        if list_number(model) == number:
            return model
    raise KeyError(f"no SQL model for list {number}")


def jsonable(v):
    """numpy scalars -> Python, NaN/inf -> None, anything unknown -> str."""
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v if v is None or isinstance(v, (str, int, float, bool)) else str(v)


def list_expectations(number: int, version: str, windows: Windows,
                      hidden: list[str]) -> list[dict]:
    """The generated expectations for one list, as GX JSON-style dicts."""
    spec = reference.list_spec(number, version)
    keys = [c.key for c in spec.columns]
    out: list[dict] = [{"type": "expect_table_columns_to_match_ordered_list",
                        "kwargs": {"column_list": keys + hidden}}]
    if ID_COLUMN in hidden:
        out.append({"type": "expect_column_values_to_be_unique",
                    "kwargs": {"column": ID_COLUMN}})
    for c in spec.columns:
        if c.required:
            out.append({"type": "expect_column_values_to_not_be_null",
                        "kwargs": {"column": c.key}})
        if c.type == "code" and c.codes:
            out.append({"type": "expect_column_values_to_be_in_set",
                        "kwargs": {"column": c.key,
                                   "value_set": reference.code_strings(c.codes, version)}})
        if c.type == "date":  # dates are validated as day numbers (see _day_number)
            # an unborn child's Date of Birth is the expected date, after A (annex_a.md §3.7)
            latest = (add_months(windows.as_at, 10) if c.key == "date_of_birth"
                      else windows.as_at)
            out.append({"type": "expect_column_values_to_be_between",
                        "kwargs": {"column": c.key, "min_value": _day_number(MIN_DATE),
                                   "max_value": _day_number(latest)},
                        "meta": {"rule": "date not after the as-at date"}})
        if c.type == "integer" and (c.min is not None or c.max is not None):
            out.append({"type": "expect_column_values_to_be_between",
                        "kwargs": {"column": c.key, "min_value": c.min, "max_value": c.max}})
    return out


def _extra_expectations(name: str) -> list[dict]:
    path = expectations_dir() / f"{name}.json"
    if not path.is_file():
        return []
    return json.loads(path.read_text()).get("expectations", [])


def _rule_name(exp: dict) -> str:
    col = exp["kwargs"].get("column")
    base = exp["type"].removeprefix("expect_")
    return f"{base}[{col}]" if col else base


def validate_lists(lists: dict[int, Path], windows: Windows, *, version: str = "later") -> dict:
    """Validate every built list; returns {'errors', 'warnings', 'results': [...]}."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx
    import pandas as pd
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = ctx.data_sources.add_pandas("annex_a_lists")
    results: list[dict] = []
    for number in sorted(lists):
        name = suite_name(number)
        df = pd.read_parquet(lists[number])
        for col in reference.list_spec(number, version).columns:
            if col.type == "date" and col.key in df:
                df[col.key] = df[col.key].map(
                    lambda d: None if d is None or pd.isna(d) else _day_number(d)).astype("Int64")
        hidden = [c for c in df.columns if c.startswith("_")]
        specs = list_expectations(number, version, windows, hidden) + _extra_expectations(name)
        suite = gx.ExpectationSuite(name=name)
        for e in specs:
            suite.add_expectation_configuration(
                gx.expectations.expectation_configuration.ExpectationConfiguration(
                    type=e["type"], kwargs=e["kwargs"], meta=e.get("meta") or {}))
        suite = ctx.suites.add(suite)
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole")
        vd = ctx.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch,
                                                                    suite=suite))
        fmt = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE}
        if ID_COLUMN in df:
            fmt["unexpected_index_column_names"] = [ID_COLUMN]
        run = vd.run(batch_parameters={"dataframe": df}, result_format=fmt)
        for r in run.results:  # GX does not keep the suite's order: read each result's config
            cfg = r.expectation_config
            e = {"type": cfg.type, "kwargs": dict(cfg.kwargs), "meta": dict(cfg.meta or {})}
            res = r.result or {}
            ids = [row.get(ID_COLUMN) for row in res.get("partial_unexpected_index_list") or []
                   if isinstance(row, dict)]
            failed_to_run = bool((r.exception_info or {}).get("raised_exception"))
            results.append(jsonable({
                "list": number, "suite": name, "rule": _rule_name(e),
                "column": e["kwargs"].get("column"),
                "severity": e.get("meta", {}).get("severity", "error"),
                "success": bool(r.success),
                "unexpected_count": res.get("unexpected_count",
                                            0 if r.success else None) or 0,
                "element_count": res.get("element_count"),
                "sample_ids": ids,
                "failed_to_run": failed_to_run,
            }))
    errors = sum(1 for r in results if not r["success"] and r["severity"] == "error")
    warnings = sum(1 for r in results if not r["success"] and r["severity"] == "warning")
    return {"errors": errors, "warnings": warnings, "results": results}
