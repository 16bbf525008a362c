"""Run one expectation suite on one data frame with Great Expectations 1.x (STACK.md §6).

GX runs inside our own tasks (not the GX Airflow provider) in an ephemeral context, so nothing
under gx/ is written. Results are reduced to ``RuleResult``s (counts and record ids) plus, per
failing rule, every failing record id (for the worklist, which lives in owner-only files).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from annexa.validate.findings import RuleResult

SAMPLE = 20


@dataclass
class SuiteRun:
    results: list[RuleResult] = field(default_factory=list)
    failing_ids: dict[str, list[str]] = field(default_factory=dict)  # rule id -> record ids


class GXRunner:
    """One ephemeral GX context for a whole validation run (context creation costs ~1 s)."""

    def __init__(self) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        logging.getLogger("great_expectations").setLevel(logging.WARNING)
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        self.ctx = gx.get_context(mode="ephemeral")
        self.ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.source = self.ctx.data_sources.add_pandas("annexa_frames")

    def run(self, name: str, df, expectations: list[dict], id_column: str) -> SuiteRun:
        gx = self.gx
        suite = gx.ExpectationSuite(name=name)
        for e in expectations:
            suite.add_expectation_configuration(
                gx.expectations.expectation_configuration.ExpectationConfiguration(
                    type=e["type"], kwargs=e["kwargs"], meta=e.get("meta") or {}
                ),
                match_type="runtime",
            )  # default matching merges same-type same-column rules
        suite = self.ctx.suites.add(suite)
        batch = self.source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        vd = self.ctx.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        fmt = {
            "result_format": "COMPLETE",
            "unexpected_index_column_names": [id_column],
            "return_unexpected_index_query": False,
        }
        result = vd.run(batch_parameters={"dataframe": df}, result_format=fmt)
        if len(result.results) != len(expectations):  # never lose a rule silently
            raise RuntimeError(
                f"suite {name}: {len(expectations)} expectations but {len(result.results)} results"
            )
        out = SuiteRun()
        for r in result.results:  # GX does not keep the suite's order: read each config
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
