"""A run's configuration, fixed once at its start, and each step's status record.

Nothing here imports Airflow.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

from annexa.core.constants import LAYOUTS, LONDON, VERSIONS
from annexa.core.dates import Windows, parse_date
from annexa.core.files import (
    owner_only,
    private_dir,
    write_json,
)
from annexa.core.paths import annexa_home, default_output_dir
from annexa.las import LA, RegistryError, load_registry, registry_path

log = logging.getLogger(__name__)
_KEY = re.compile(r"[^A-Za-z0-9_.-]+")
F = TypeVar("F", bound=Callable[..., Any])


def run_key(run_id: str) -> str:
    """The run's key in file names (its snapshot and work folders): the Airflow run id with
    anything but letters, digits and ``_.-`` replaced."""
    return _KEY.sub("_", run_id)[:120]


class ValidationFailed(RuntimeError):
    """Validation found errors that are not waived: nothing may be published."""

    def __init__(self, message: str, summary_path: str | None = None) -> None:
        super().__init__(message)
        self.summary_path = summary_path


@dataclass(frozen=True)
class RunConfig:
    """Everything a run needs to know, fixed once at its start."""

    as_at: str
    la_code: str
    la_name: str
    version: str
    layout: str
    out_dir: str
    source_conn_id: str
    mapping: str | None
    run_key: str
    cms: str | None = None
    waivers: str | None = None
    benchmarks: str | None = None

    @property
    def as_at_date(self) -> dt.date:
        return dt.date.fromisoformat(self.as_at)

    @property
    def windows(self) -> Windows:
        return Windows.for_date(self.as_at_date)

    def snapshot_dir(self) -> Path:
        return annexa_home() / "snapshots" / self.la_code / self.as_at / self.run_key

    def work_dir(self) -> Path:
        return annexa_home() / "runs" / self.la_code / self.as_at / self.run_key

    def to_dict(self) -> dict:
        return asdict(self)


STATUS = "status.json"


def _record(cfg: dict, step: str, state: str, error: str | None = None) -> None:
    """The run's step status (``status.json`` in its work folder), for the readiness page
    (annexa.readiness) to tell a run that failed before or after the gate from one that is
    running: step, state, time and the exception's type only (never its message)."""
    try:
        c = RunConfig(**cfg)
        folder = private_dir(c.work_dir())
        path = folder / STATUS
        doc = json.loads(path.read_text()) if path.is_file() else {}
        now = dt.datetime.now(dt.UTC).isoformat()
        doc.setdefault("started_at", now)
        doc.update(la_code=c.la_code, as_at=c.as_at, run=c.run_key, step=step, state=state, at=now)
        doc["error"] = error
        write_json(path, doc)
    except Exception as exc:  # noqa: BLE001 - a status record must never fail the step
        log.warning("could not record the %s step's status (%s)", step, type(exc).__name__)


def tracked(step: str) -> Callable[[F], F]:
    """Record a step's start, success or failure in the run's ``status.json``."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def run(cfg: dict, *args: Any, **kwargs: Any) -> Any:
            _record(cfg, step, "running")
            try:
                result = fn(cfg, *args, **kwargs)
            except BaseException as exc:
                _record(cfg, step, "failed", type(exc).__name__)
                raise
            _record(cfg, step, "done")
            return result

        return run  # type: ignore[return-value]

    return wrap


def resolve_as_at(
    param: str | None, data_interval_start: dt.datetime | None, run_after: dt.datetime | None
) -> dt.date:
    """The run's as-at date: the ``as_at`` param; else the London calendar day the scheduled
    data interval covers (its start); else the London date the run was triggered (manual runs
    and asset-triggered runs have no data interval in Airflow 3)."""
    if param:
        return parse_date(param)
    for moment in (data_interval_start, run_after):
        if moment is not None:
            return moment.astimezone(LONDON).date()
    raise ValueError("no as_at param and no data interval or trigger time to derive it from")


def resolve_run(
    params: dict,
    *,
    run_id: str,
    data_interval_start: dt.datetime | None = None,
    run_after: dt.datetime | None = None,
    la: LA | None = None,
) -> dict:
    """Fix the run's configuration from params, environment and run metadata; for a registered
    LA (``la``) from its registry entry instead of the per-LA params and environment."""
    owner_only()
    as_at = resolve_as_at(params.get("as_at"), data_interval_start, run_after)
    per_la: dict[str, Any]
    if la is None:  # one LA from params and environment (no registry)
        la_code = str(params.get("la_code") or os.environ.get("ANNEXA_LA_CODE") or "999")
        per_la = {
            "la_code": la_code,
            "la_name": str(params.get("la_name") or os.environ.get("ANNEXA_LA_NAME") or ""),
            "version": str(params.get("annex_version") or "later"),
            "layout": str(params.get("layout") or "ofsted"),
            "source_conn_id": str(params.get("source_conn_id") or "annexa_cms"),
            "mapping": params.get("mapping") or os.environ.get("ANNEXA_MAPPING") or None,
            "waivers": params.get("waivers") or os.environ.get("ANNEXA_WAIVERS") or None,
            "benchmarks": os.environ.get("ANNEXA_BENCHMARKS") or None,
        }
    else:  # a registry entry: its own values only, never another LA's environment defaults
        per_la = {
            "la_code": la.code,
            "la_name": la.name,
            "version": la.annex_version,
            "layout": la.layout,
            "source_conn_id": la.connection,
            "mapping": la.mapping,
            "waivers": la.waivers,
            "benchmarks": la.benchmarks,
        }
    cfg = RunConfig(
        as_at=as_at.isoformat(),
        out_dir=str(Path(params.get("out_dir") or default_output_dir()).expanduser().resolve()),
        run_key=run_key(run_id),
        cms=params.get("cms") or None,
        **per_la,
    )
    if cfg.version not in VERSIONS:
        raise ValueError(f"annex_version must be 'later' or '2019', not {cfg.version!r}")
    if cfg.layout not in LAYOUTS:
        raise ValueError(f"layout must be 'ofsted' or 'liia', not {cfg.layout!r}")
    log.info(
        "run %s: LA %s as at %s (%s, %s layout)",
        cfg.run_key,
        cfg.la_code,
        cfg.as_at,
        cfg.version,
        cfg.layout,
    )
    for folder in (annexa_home(), annexa_home() / "runs", annexa_home() / "snapshots"):
        private_dir(folder)  # owner-only also when an older version made them 0755
    return cfg.to_dict()


def resolve_runs(
    params: dict,
    *,
    run_id: str,
    data_interval_start: dt.datetime | None = None,
    run_after: dt.datetime | None = None,
) -> list[dict]:
    """One configuration per LA this run serves: every LA of the registry (``ANNEXA_LAS`` or
    the ``registry`` param; the ``la_code`` param picks one of them), else the one LA of
    ``resolve_run``. A bad registry fails here, before any LA is extracted."""
    path = registry_path(params)
    if path is None:
        return [
            resolve_run(
                params, run_id=run_id, data_interval_start=data_interval_start, run_after=run_after
            )
        ]
    las = load_registry(path)
    only = params.get("la_code")
    if only:
        las = [x for x in las if x.code == str(only)]
        if not las:
            raise RegistryError(f"LA registry {path}: no entry has code {only!r} (param la_code)")
    log.info("LA registry %s: %d LA(s): %s", path, len(las), ", ".join(x.code for x in las))
    return [
        resolve_run(
            params,
            run_id=run_id,
            data_interval_start=data_interval_start,
            run_after=run_after,
            la=x,
        )
        for x in las
    ]
