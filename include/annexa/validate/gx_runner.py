"""Run one expectation suite on one data frame with Great Expectations 1.x (STACK.md §6).

GX runs inside our own tasks (not the GX Airflow provider) in an ephemeral context, so nothing
under gx/ is written. Results are reduced to ``RuleResult``s (counts and record ids) plus, per
failing rule, every failing record id (for the worklist, which lives in owner-only files).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from annexa.validate.findings import RuleResult

SAMPLE = 20
_PATCH_LOCK = threading.Lock()


@dataclass
class SuiteRun:
    results: list[RuleResult] = field(default_factory=list)
    failing_ids: dict[str, list[str]] = field(default_factory=dict)  # rule id -> record ids


class GXRunner:
    """One ephemeral GX context for a whole validation run (context creation costs ~1 s), with
    one pandas data asset and batch definition that every frame is validated through."""

    def __init__(self) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        logging.getLogger("great_expectations").setLevel(logging.WARNING)
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        self.ctx = gx.get_context(mode="ephemeral")
        self.ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.source = self.ctx.data_sources.add_pandas("annexa_frames")
        # one asset for all frames: adding an asset re-serialises the context's whole config
        self.batch_definition = self.source.add_dataframe_asset(
            "frame"
        ).add_batch_definition_whole_dataframe("whole")

    def run(self, name: str, df, expectations: list[dict], id_column: str) -> SuiteRun:
        """Validate ``df`` with every expectation of suite ``name``, in two passes over one batch.

        Pass 1 runs the whole suite with BOOLEAN_ONLY (GX computes each rule's unexpected count
        and nothing else). Pass 2 re-runs COMPLETE, with the id column, only the expectations that
        failed (or may pass with failing rows: ``mostly``), to get every failing record id; any
        other rule that passed has no failing record, and its result is the same in either
        format. Both passes use one GX Validator on one batch (the frame is loaded once) and
        nothing is added to the context's suite, validation-definition or result stores, whose
        serialisation cost more than the checks themselves.
        """
        from great_expectations.validator.v1_validator import Validator

        configs = [
            self.gx.expectations.expectation_configuration.ExpectationConfiguration(
                type=e["type"], kwargs=e["kwargs"], meta=e.get("meta") or {}
            )
            for e in expectations
        ]
        validator = Validator(
            batch_definition=self.batch_definition,
            batch_parameters={"dataframe": _numeric_for_gx(df)},
            result_format="BOOLEAN_ONLY",
        )
        quick = self._validate(validator, name, configs)
        # a rule that may pass with some failing rows (``mostly``) is re-run too
        failed = [
            r.expectation_config
            for r in quick
            if not r.success or r.expectation_config.kwargs.get("mostly", 1) < 1
        ]
        full = {}
        if failed:
            validator.result_format = {
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [id_column],
                "return_unexpected_index_query": False,
            }
            full = {_key(r.expectation_config): r for r in self._validate(validator, name, failed)}
        results = [full.get(_key(r.expectation_config), r) for r in quick]
        out = SuiteRun()
        for r in results:  # GX does not keep the suite's order: read each config
            cfg = r.expectation_config
            if cfg is None:  # GX always echoes the config; without it the rule is unknown
                raise RuntimeError(f"suite {name}: a result without its expectation config")
            meta = dict(cfg.meta or {})
            rule = meta.get("rule") or f"{name}:{cfg.type}"
            res = r.result or {}
            ids = list(
                dict.fromkeys(  # distinct, in order (a duplicated key fails twice)
                    str(row.get(id_column))
                    for row in res.get("unexpected_index_list") or []
                    if isinstance(row, dict)
                )
            )
            failed_to_run = bool((r.exception_info or {}).get("raised_exception"))
            # failing *records*: distinct ids (a duplicated key fails on every copy)
            count = len(ids) if ids else res.get("unexpected_count")
            if count is None:
                count = 0 if r.success else 1
            target, family, *col = rule.split(":", 2)
            out.results.append(
                RuleResult(
                    id=rule,
                    target=target,
                    family=family,
                    column=col[0] if col else None,
                    severity=meta.get("severity", "error"),
                    description=meta.get("description", ""),
                    success=bool(r.success),
                    unexpected_count=int(count),
                    sample_ids=ids[:SAMPLE],
                    failed_to_run=failed_to_run,
                )
            )
            if ids:
                out.failing_ids[rule] = ids
        return out

    def _validate(self, validator, name: str, configs: list) -> list:
        suite = self.gx.ExpectationSuite(
            name=name, expectations=[c.to_domain_obj() for c in configs]
        )
        with _gx_planning_shortcuts():
            result = validator.validate_expectation_suite(suite)
        if len(result.results) != len(configs):  # never lose a rule silently
            raise RuntimeError(
                f"suite {name}: {len(configs)} expectations but {len(result.results)} results"
            )
        return list(result.results)


def _numeric_for_gx(df):
    """The frame GX sees: integer columns as numpy int64, or float64 where they hold nulls.

    GX's pandas ``between`` is vectorised only for int64 and float64 columns; on int32 (the day
    numbers of the check frames) or pandas' nullable Int64 (the lists' dates) it calls a Python
    function per value, a third of the gate at the largest county. Nulls are outside every
    column-map domain and day numbers are exact in float64, so no rule's result changes. The
    caller's frame (read for the worklist's values) is left as it was.
    """
    import numpy as np
    import pandas as pd

    out = None
    for name, col in df.items():
        dtype = col.dtype
        if not pd.api.types.is_integer_dtype(dtype) or dtype == np.int64:
            continue
        if out is None:
            out = df.copy(deep=False)
        if col.isna().any():
            out[name] = col.astype("float64")
        else:
            out[name] = col.astype("int64")
    return df if out is None else out


def _plain_json(data) -> bool:
    """True when ``data`` is made only of what GX's ``convert_to_json_serializable`` returns
    unchanged (up to tuples, which JSON writes as lists either way): exact str, int, bool,
    non-NaN float and None, in lists, tuples and dicts (or GX's ``IDDict``) keyed by str."""
    from great_expectations.core.id_dict import IDDict

    t = type(data)
    if t is str or t is int or t is bool or data is None:
        return True
    if t is float:
        return data == data  # NaN becomes None in GX's conversion
    if t is list or t is tuple:
        return all(_plain_json(v) for v in data)
    if t is dict or t is IDDict:
        return all(type(k) is str and _plain_json(v) for k, v in data.items())
    return False


@contextmanager
def _gx_planning_shortcuts() -> Iterator[None]:
    """While one suite is validated, skip costs of GX 1.x that change no result.

    * Each expectation's ``configuration`` is built once: GX rebuilds it from the pydantic
      model (``.dict()`` and a regex on the class name) on every access, some 45 times per
      expectation while planning the metrics. Nothing mutates an expectation or its
      configuration during validation, so the first one built stands for the rest of the call.
    * Each expectation configuration's domain object (``to_domain_obj``, a pydantic model
      built from the configuration) is built once: GX builds a new one for every metric it
      plans (``get_metric_kwargs``), and each new one rebuilds its ``configuration``. The
      configurations GX plans with are its own deep copies, made before the first call and
      not changed after.
    * A metric's id (``IDDict.to_id``, an MD5 of the kwargs' JSON) skips GX's recursive
      ``convert_to_json_serializable`` when the kwargs are plain JSON already (``_plain_json``):
      that conversion would return them unchanged, so the JSON text and the id are the same.
    * No ``pandas_data_fingerprint`` batch marker: GX hashes every row of a frame under 1 GB to
      label the batch, which we never read.
    * A column metric's compute domain is the frame narrowed to that column
      (``_column_domain``): GX's column map drops the rows where the column is null from the
      domain it is given, which copied every column of the frame (the 1 M-row source frames,
      once per expectation on a column with a blank) to read one. The same rows, index and
      values reach the metric; the failing-row listing (COMPLETE) reads the whole frame through
      ``get_domain_records``, which is untouched.

    All are undone on exit; tests/unit/test_gx_runner.py checks that the results are the same
    with and without them, and that the GX internals they touch still exist.
    """
    from great_expectations.core import id_dict
    from great_expectations.execution_engine import pandas_execution_engine as pee
    from great_expectations.execution_engine.pandas_execution_engine import PandasExecutionEngine
    from great_expectations.expectations.expectation import Expectation
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    original = Expectation.__dict__["configuration"]
    to_domain_obj = ExpectationConfiguration.__dict__["to_domain_obj"]
    convert = id_dict.convert_to_json_serializable
    compute_domain = PandasExecutionEngine.__dict__["get_compute_domain"]
    built: dict[int, tuple[object, object]] = {}  # id -> (expectation, configuration)
    domain: dict[int, tuple[object, object]] = {}  # id -> (configuration, expectation)
    narrowed: dict[tuple[int, str], tuple[object, object]] = {}  # (id, column) -> (frame, narrow)

    def configuration(self):
        hit = built.get(id(self))
        if hit is None or hit[0] is not self:
            hit = built[id(self)] = (self, original.fget(self))
        return hit[1]

    def domain_obj(self):
        hit = domain.get(id(self))
        if hit is None or hit[0] is not self:
            hit = domain[id(self)] = (self, to_domain_obj(self))
        return hit[1]

    def plain_or_convert(data):
        return data if _plain_json(data) else convert(data)

    def column_domain(self, domain_kwargs, domain_type, accessor_keys=None):
        return _column_domain(
            compute_domain(self, domain_kwargs, domain_type, accessor_keys), domain_type, narrowed
        )

    with _PATCH_LOCK:
        threshold = pee.HASH_THRESHOLD
        Expectation.configuration = property(configuration)  # type: ignore[method-assign,assignment]
        ExpectationConfiguration.to_domain_obj = domain_obj  # type: ignore[method-assign]
        id_dict.convert_to_json_serializable = plain_or_convert
        pee.HASH_THRESHOLD = 0
        PandasExecutionEngine.get_compute_domain = column_domain  # type: ignore[method-assign]
        try:
            yield
        finally:
            Expectation.configuration = original  # type: ignore[method-assign]
            ExpectationConfiguration.to_domain_obj = to_domain_obj  # type: ignore[method-assign]
            id_dict.convert_to_json_serializable = convert
            pee.HASH_THRESHOLD = threshold
            PandasExecutionEngine.get_compute_domain = compute_domain  # type: ignore[method-assign]
            built.clear()
            domain.clear()
            narrowed.clear()


def _column_domain(domain: tuple, domain_type, narrowed: dict) -> tuple:
    """GX's compute domain of a column metric with only that column (``get_compute_domain``
    returns the whole frame and the column's name as the accessor): a metric on a column domain
    reads that column alone, so its rows, index and values are the same. Each (frame, column)
    is narrowed once per call of ``_gx_planning_shortcuts`` (``narrowed``): GX asks for a
    column's domain once per metric, several times per expectation."""
    from great_expectations.core.metric_domain_types import MetricDomainTypes

    data, compute, accessor = domain
    column = accessor.get("column")
    if MetricDomainTypes(domain_type) is MetricDomainTypes.COLUMN and column in data.columns:
        hit = narrowed.get((id(data), column))
        if hit is None or hit[0] is not data:
            hit = narrowed[(id(data), column)] = (data, data[column].to_frame())
        data = hit[1]
    return data, compute, accessor


def _key(cfg) -> str:
    """An expectation's identity across the two passes: its type, kwargs and meta."""
    import json

    return json.dumps([cfg.type, cfg.kwargs, cfg.meta], sort_keys=True, default=str)
