"""Month-end returns from one snapshot (backfills): the same build, gate and publish steps as
the ``annex_a`` DAG, sharing the work that does not depend on the as-at date.

The extract does not depend on the as-at date (it copies every contract table whole), so a
month end built from today's snapshot is exactly the return a run as at that date would build
from today's CMS; the CMS's current-state fields (source_contract.md §7.2) make old month ends
approximate either way. What a backfill shares, per process:

* the snapshot, read and verified once;
* one ``SnapshotBuild`` (annexa.transform.runner): the staging models, the intermediate models
  that read no as-at parameter, the source check frames and the unmapped values are built once;
  each month end builds only the as-at models, the lists, the cross rules and the pack's rows;
* one ``GateSession`` (annexa.validate.gate): one GX context, each source suite run once on
  its check frame; each month end runs its list suites, cross rules and waivers.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

from annexa.core.paths import default_output_dir
from annexa.pipeline.config import RunConfig, ValidationFailed, resolve_run
from annexa.pipeline.steps import build_step, publish_step, snapshot_extract, validate_step


def backfill_months(
    params: dict,
    snapshot: str,
    dates: list[str],
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[str, str]:
    """Build, gate and publish the month ends ``dates`` (ISO, any order) from one snapshot in
    this process, each through ``build_step``, ``validate_step`` and ``publish_step`` (run keys
    ``backfill__<as-at>``), on one shared build and gate session. A month the gate blocks
    publishes nothing. Returns ``{as-at: "published" | "blocked"}``."""
    from annexa.source.extract import verify_snapshot
    from annexa.transform.mapping import load_mapping
    from annexa.transform.runner import SnapshotBuild
    from annexa.validate.gate import GateSession

    if not dates:
        return {}
    cfgs = [resolve_run(params | {"as_at": d}, run_id=f"backfill__{d}") for d in dates]
    first = RunConfig(**cfgs[0])
    extract = snapshot_extract(snapshot)
    verify_snapshot(Path(snapshot))  # once for every month end: built only as extracted
    out: dict[str, str] = {}
    session = GateSession(processes=1)  # the backfill's worker processes share the CPUs
    with SnapshotBuild(
        Path(snapshot),
        first.work_dir(),  # the shared check frames and spill files: the first month's folder
        first.windows,
        la_code=first.la_code,
        la_name=first.la_name,
        version=first.version,
        mapping=load_mapping(first.mapping),
    ) as shared:
        for cfg in cfgs:
            build = build_step(cfg, snapshot, shared=shared)
            try:
                validation = validate_step(cfg, build, session=session)
            except ValidationFailed:
                out[cfg["as_at"]] = "blocked"
            else:
                publish_step(cfg, build, validation, extract)
                out[cfg["as_at"]] = "published"
            if progress:
                progress(f"  {cfg['as_at']}: {out[cfg['as_at']]}")
    shutil.rmtree(first.work_dir() / "duckdb_tmp", ignore_errors=True)
    return out


def _months_in_child(params: dict, snapshot: str, dates: list[str], queue) -> dict[str, str]:
    """``backfill_months`` in a pool process, its progress lines sent to the parent."""
    return backfill_months(params, snapshot, dates, progress=queue.put)


def backfill_from_snapshot(
    params: dict,
    snapshot: str,
    dates: list[dt.date],
    *,
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
    skip_published: bool = True,
) -> dict[str, str]:
    """Publish month-end returns for ``dates`` from one snapshot already taken (``annexa
    backfill``, and the demo's trend history): ``backfill_months`` in up to ``workers``
    processes, each taking every ``workers``-th date (the publisher's LA lock orders the
    releases), so each process shares its build and gate work across its month ends. With
    ``skip_published`` a date already published is skipped (the demo's re-runs); a date the
    gate blocks publishes nothing (a gap in the trends). Returns ``{as-at: "published" |
    "skipped" | "blocked"}``."""
    import multiprocessing
    import queue as queues
    from concurrent.futures import ProcessPoolExecutor, wait

    from annexa.publish.publisher import published_dates

    out: dict[str, str] = {}
    la = str(params.get("la_code") or "999")
    out_dir = Path(params.get("out_dir") or default_output_dir())
    done = set(published_dates(out_dir / la)) if skip_published else set()
    todo = []
    for d in sorted(dates):
        if d in done:
            out[d.isoformat()] = "skipped"
        else:
            todo.append(d.isoformat())
    workers = max(1, min(workers, len(todo)))
    if workers == 1:
        out |= backfill_months(params, snapshot, todo, progress=progress)
        return dict(sorted(out.items()))
    # spawned, not forked: the caller may hold database connections (Airflow's)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        lines = manager.Queue()
        jobs = [
            pool.submit(_months_in_child, params, snapshot, todo[i::workers], lines)
            for i in range(workers)
        ]
        pending = set(jobs)
        while pending:
            _, pending = wait(pending, timeout=0.5)
            while True:
                try:
                    line = lines.get_nowait()
                except queues.Empty:
                    break
                if progress:
                    progress(line)
        for job in jobs:
            out |= job.result()
    return dict(sorted(out.items()))
