"""The steps of an Annex A run (and of the statutory returns and backfills), as plain functions
the DAGs' tasks and the CLI call. Nothing here imports Airflow.

* ``config``: the run's configuration (``RunConfig``, ``resolve_run(s)``) and each step's
  status record (``tracked``, ``status.json``);
* ``steps``: extract, build, validate, publish of one run;
* ``returns``: the statutory returns' steps (CIN census, SSDA903);
* ``backfill``: month-end returns from one snapshot, sharing what does not depend on the as-at
  date.
"""

from annexa.pipeline.backfill import backfill_from_snapshot, backfill_months
from annexa.pipeline.config import (
    STATUS,
    RunConfig,
    ValidationFailed,
    resolve_as_at,
    resolve_run,
    resolve_runs,
    run_key,
    tracked,
)
from annexa.pipeline.returns import (
    returns_build_step,
    returns_config,
    returns_publish_step,
    returns_validate_step,
)
from annexa.pipeline.steps import (
    SourceUnavailable,
    build_step,
    extract_step,
    publish_step,
    shared_snapshot_dir,
    snapshot_extract,
    validate_step,
)

__all__ = [
    "STATUS",
    "RunConfig",
    "SourceUnavailable",
    "ValidationFailed",
    "backfill_from_snapshot",
    "backfill_months",
    "build_step",
    "extract_step",
    "publish_step",
    "resolve_as_at",
    "resolve_run",
    "resolve_runs",
    "returns_build_step",
    "returns_config",
    "returns_publish_step",
    "returns_validate_step",
    "run_key",
    "shared_snapshot_dir",
    "snapshot_extract",
    "tracked",
    "validate_step",
]
