"""The steps of one Annex A run, as plain functions the DAG's tasks call.

Each step takes and returns small JSON-able dicts (paths, counts, ids), so XCom never carries
child-level data and every step can be re-run alone. Nothing here imports Airflow.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import annexa
from annexa.core.constants import LAYOUTS, LONDON, VERSIONS, london_date, today_london
from annexa.core.dates import Windows, parse_date
from annexa.core.files import (
    owner_only,
    private_dir,
    sha256_file,
    write_bytes,
    write_json,
    write_text,
)
from annexa.core.paths import annexa_home, default_output_dir
from annexa.las import LA, RegistryError, load_registry, registry_path

log = logging.getLogger(__name__)
_KEY = re.compile(r"[^A-Za-z0-9_.-]+")
F = TypeVar("F", bound=Callable[..., Any])


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
        run_key=_KEY.sub("_", run_id)[:120],
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


class SourceUnavailable(RuntimeError):
    """The CMS could not be read: unreachable, refused the login, timed out, or not SSD-shaped.
    The message names the Airflow connection id and the URL without its password, and the
    driver's first line with any password scrubbed; the chained exception is dropped, since a
    driver may echo its connection string (issue 14.2)."""

    def __init__(self, conn_id: str, url: str, exc: BaseException) -> None:
        from sqlalchemy.engine import make_url

        from annexa.source.extract import safe_url

        detail = (str(exc).strip().splitlines() or [""])[0][:300]
        try:
            password = make_url(url).password
        except Exception:  # noqa: BLE001 - an unparseable URL has no password to scrub
            password = None
        if password:
            detail = detail.replace(str(password), "***")
        super().__init__(
            f"source connection {conn_id!r} ({safe_url(url)}) could not be read: "
            f"{type(exc).__name__}: {detail}. Nothing was extracted or published."
        )


@tracked("extract")
def extract_step(
    cfg: dict, source_url: str, *, progress: Callable[[str], None] | None = None
) -> dict:
    """Snapshot the CMS for this run (replacing a failed earlier attempt of the same run)."""
    owner_only()
    from annexa.source.extract import extract, read_manifest

    c = RunConfig(**cfg)
    dest = c.snapshot_dir()
    if dest.exists():  # a retry of this run: the old snapshot may predate a source fix
        # renamed aside first (atomic), so a kill mid-delete never leaves a half snapshot that
        # looks whole where the build reads (issue 14.3)
        doomed = dest.with_name(f".{dest.name}.old")
        shutil.rmtree(doomed, ignore_errors=True)
        os.rename(dest, doomed)
        shutil.rmtree(doomed)
    try:
        extract(source_url, dest, cms=c.cms, progress=progress)
    except Exception as exc:  # noqa: BLE001 - any driver's error: reworded, never the URL
        raise SourceUnavailable(c.source_conn_id, source_url, exc) from None
    m = read_manifest(dest)
    return {
        "snapshot": str(dest),
        "source": m["source"],
        "seconds": m["seconds"],
        "rows": {t: v["rows"] for t, v in m["tables"].items()},
    }


@tracked("build")
def build_step(cfg: dict, snapshot: str, *, progress: Callable[[str], None] | None = None) -> dict:
    """Run every registered query over the snapshot (``annexa.transform.runner.build``): the
    lists, the source check frames and the cross rules' failing rows land as Parquet in the
    run's work folder for the gate; then the pack's inputs are written from the indicator and
    drill-down rows (``annexa.pack.inputs``), and the build's record ``build.json``."""
    owner_only()
    from annexa.pack.inputs import write_pack_inputs
    from annexa.source.extract import read_manifest, verify_snapshot
    from annexa.transform.mapping import load_mapping
    from annexa.transform.runner import build

    c = RunConfig(**cfg)
    verify_snapshot(Path(snapshot))  # the manifest's checksums: built only as extracted
    mapping = load_mapping(c.mapping)
    with _benchmarks(c.benchmarks):  # the catalogue the pack's inputs join reads this LA's file
        result = build(
            Path(snapshot),
            c.work_dir(),
            c.windows,
            la_code=c.la_code,
            la_name=c.la_name,
            version=c.version,
            mapping=mapping,
            progress=progress,
        )
        t0 = time.time()
        # the indicators joined to the catalogue (rates with the LA's population), drill-downs
        write_pack_inputs(result, la_code=c.la_code)
    spent = result.seconds.get("pack_inputs", 0) + time.time() - t0
    result.seconds["pack_inputs"] = round(spent, 3)
    write_json(
        result.work_dir / "build.json",
        {
            **result.to_dict(),
            "as_at": c.as_at,
            "version": c.version,
            "mapping": mapping.source,
            "built_at": dt.datetime.now(dt.UTC).isoformat(),
        },
    )
    snap = read_manifest(Path(snapshot))
    started = snap.get("started_at") or dt.datetime.now(dt.UTC).isoformat()
    extracted_on = london_date(dt.datetime.fromisoformat(started))
    return result.to_dict() | {
        "extracted_on": extracted_on.isoformat(),
        "source_rows": {t: v["rows"] for t, v in snap["tables"].items()},
    }


def _published_rows(c: RunConfig) -> dict[str, int]:
    """Rows per SSD table behind the LA's latest published return (none yet: empty)."""
    try:
        m = json.loads((Path(c.out_dir) / c.la_code / "latest" / "manifest.json").read_text())
        return {str(k): int(v) for k, v in ((m.get("source") or {}).get("rows") or {}).items()}
    except (OSError, ValueError, TypeError):
        return {}


@contextlib.contextmanager
def _benchmarks(path: str | None) -> Iterator[None]:
    """The build's pack numbers read ``ANNEXA_BENCHMARKS``: point it at this LA's file for the
    build only (several LAs may run in one process under ``dag.test()``)."""
    before = os.environ.get("ANNEXA_BENCHMARKS")
    if path:
        os.environ["ANNEXA_BENCHMARKS"] = path
    else:
        os.environ.pop("ANNEXA_BENCHMARKS", None)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("ANNEXA_BENCHMARKS", None)
        else:
            os.environ["ANNEXA_BENCHMARKS"] = before


@tracked("validate")
def validate_step(cfg: dict, build: dict, *, today: dt.date | None = None) -> dict:
    """The gate: run every rule (lists, source tables, cross-list, unmapped values), apply live
    waivers, write validation.json, the HTML report and the CSV worklist into the run folder, and
    raise ValidationFailed when errors remain that no waiver covers."""
    owner_only()
    from annexa.transform.mapping import load_mapping
    from annexa.validate.gate import GateInputs, run_gate
    from annexa.validate.report import summary_text, write_report, write_worklist
    from annexa.validate.waivers import load_waivers

    c = RunConfig(**cfg)
    mapping = load_mapping(c.mapping)
    today = today or today_london()
    inputs = GateInputs(
        lists={int(k): Path(v) for k, v in build["lists"].items()},
        checks={k: Path(v) for k, v in (build.get("checks") or {}).items()},
        windows=c.windows,
        version=c.version,
        extracted_on=dt.date.fromisoformat(build.get("extracted_on") or today.isoformat()),
        placeholders=[p.lower() for p in mapping.placeholder_text],
        placeholder_before=mapping.date_before,
        unmapped=build.get("unmapped", []),
        waivers=load_waivers(c.waivers),
        today=today,
        renderings_2019=tuple(build.get("renderings_2019") or ()),
        cross={k: Path(v) for k, v in (build.get("cross") or {}).items()},
        source_rows=build.get("source_rows") or {},
        published_rows=_published_rows(c),
    )
    summary, items = run_gate(inputs)
    blocked = summary["errors"] > 0
    summary = {
        "la_code": c.la_code,
        "la_name": c.la_name,
        "as_at": c.as_at,
        "run": c.run_key,
        "published": not blocked,
        **summary,
    }
    folder = c.work_dir()
    path = folder / "validation.json"
    write_json(path, summary, indent=2)  # owner-only, also when a re-run overwrites it
    report = write_report(folder / "report.html", summary, items)
    worklist = write_worklist(folder / "worklist.csv", items)
    text = summary_text(summary)
    if blocked:
        log.error("%s", text)
        raise ValidationFailed(
            f"{text}\nNothing published. Report: {report}; worklist: {worklist}", str(path)
        )
    log.info("%s", text)
    return {
        "validation": str(path),
        "report": str(report),
        "worklist": str(worklist),
        "errors": summary["errors"],
        "warnings": summary["warnings"],
        "waived_records": summary["waived_records"],
        "waivers_applied": summary["waivers_applied"],
        "unmapped": summary["unmapped"],
        "failing_rules": {
            r["id"]: r["unexpected_count"] for r in summary["rules"] if not r["success"]
        },
    }


def _code_version() -> str:
    """The installed package's version (its metadata: the same for a wheel and a checkout)."""
    return f"annexa {annexa.__version__}"


@tracked("publish")
def publish_step(cfg: dict, build: dict, validation: dict, extract: dict) -> dict:
    """Write the workbook, CSVs and manifest aside, then publish them atomically."""
    owner_only()
    from annexa.publish.publisher import publish
    from annexa.publish.workbook import ReturnFacts, workbook_name, write_csvs, write_workbook

    c = RunConfig(**cfg)
    w = c.windows
    facts = ReturnFacts(
        la_code=c.la_code,
        la_name=c.la_name,
        as_at=w.as_at,
        w6_start=w.w6_start,
        w12_start=w.w12_start,
        version=c.version,
        generated_at=dt.datetime.now(dt.UTC),
    )
    lists = {int(k): Path(v) for k, v in build["lists"].items()}
    book = workbook_name(c.la_code, w.as_at)

    def write(folder: Path) -> None:
        counts = write_workbook(folder / book, lists, facts, layout=c.layout)
        csvs = write_csvs(folder, lists, facts)
        files = [folder / book, *csvs.values()]
        for name, src in (build.get("pack_inputs") or {}).items():  # the pack's numbers
            files.append(write_bytes(folder / f"{name}.json", Path(src).read_bytes()))
        manifest = {
            "kind": "annexa-return",
            "la_code": c.la_code,
            "la_name": c.la_name,
            "as_at": c.as_at,
            "w6_start": w.w6_start.isoformat(),
            "w12_start": w.w12_start.isoformat(),
            "annex_version": c.version,
            "layout": c.layout,
            "run": c.run_key,
            "generated_at": facts.generated_at.isoformat(),
            "code_version": _code_version(),
            "row_counts": {str(k): v for k, v in counts.items()},
            "files": {p.name: {"sha256": sha256_file(p), "bytes": p.stat().st_size} for p in files},
            "source": {
                "url": extract.get("source"),
                "snapshot": extract.get("snapshot"),
                "rows": extract.get("rows"),
            },
            "validation": {
                "errors": validation.get("errors"),
                "warnings": validation.get("warnings"),
                "waived_records": validation.get("waived_records"),
                "failing_rules": validation.get("failing_rules", {}),
                "summary": validation.get("validation"),
                "report": validation.get("report"),
            },
            "waivers_applied": validation.get("waivers_applied", []),
            "mapping": c.mapping,
            "unmapped": validation.get("unmapped", []),
            "pack_error": build.get("pack_error"),
        }
        write_text(folder / "manifest.json", json.dumps(manifest, indent=2))

    out_root = private_dir(Path(c.out_dir))
    public = publish(out_root, c.la_code, w.as_at, c.run_key, write)
    return {"published": str(public), "workbook": str(public / book)}


# ---------------------------------------------------------------------------------------------
# Statutory returns (issue 11): the CIN census and the SSDA903 from the same kind of snapshot,
# checked by DfE's rules; the steps the statutory_returns DAG and `annexa returns` call.


def returns_config(
    params: dict,
    *,
    run_id: str,
    data_interval_start: dt.datetime | None = None,
    run_after: dt.datetime | None = None,
) -> dict:
    """The run's configuration: a RunConfig whose as-at date is the census reference date.

    ``year`` (the collection year's 31 March, 2026 for 2025/26) and ``reference_date`` are
    params; either gives the other (reference date 31 March of the year); neither: the current
    collection year on the day the run covers.
    """
    from annexa.returns.build import collection_year, default_reference_date

    ref = params.get("reference_date")
    year = params.get("year")
    if ref:
        reference = parse_date(str(ref))
        if year and int(year) != collection_year(reference):
            raise ValueError(
                f"reference date {reference} is in collection year {collection_year(reference)}, "
                f"not {year}"
            )
    elif year:
        reference = default_reference_date(int(year))
    else:
        today = resolve_as_at(None, data_interval_start, run_after)
        reference = default_reference_date(collection_year(today))
    return resolve_run(
        {**params, "as_at": reference.isoformat()},
        run_id=run_id,
        data_interval_start=data_interval_start,
        run_after=run_after,
    )


def returns_build_step(
    cfg: dict, snapshot: str, *, progress: Callable[[str], None] | None = None
) -> dict:
    """Build the CIN census XML and the 903 CSVs into the run's ``returns`` folder."""
    owner_only()
    from annexa.returns.build import build_returns
    from annexa.transform.mapping import load_mapping

    c = RunConfig(**cfg)
    result = build_returns(
        Path(snapshot),
        c.work_dir() / "returns",
        reference_date=c.as_at_date,
        la_code=c.la_code,
        la_name=c.la_name,
        mapping=load_mapping(c.mapping),
        progress=progress,
    )
    return result.to_dict()


def returns_validate_step(cfg: dict, built: dict) -> dict:
    """Run DfE's CIN and 903 rules on the built files; write validation.json, report.html and
    worklist.csv beside them; raise ValidationFailed when any rule finds an error."""
    owner_only()
    from annexa.returns.check import write_checked
    from annexa.returns.validators import run
    from annexa.validate.report import summary_text

    c = RunConfig(**cfg)
    folder = Path(built["folder"])
    year = int(built["year"])
    ons = os.environ.get("ANNEXA_LA_ONS_CODE") or "E09000027"
    runs = [
        run("cin", [Path(built["cin_xml"])], year=year),
        run("903", [Path(p) for p in built["ssda903"].values()], year=year, la=ons),
    ]
    head = {
        "la_code": c.la_code,
        "la_name": c.la_name,
        "as_at": c.as_at,
        "collection_year": year,
        "run": c.run_key,
    }
    checked = write_checked(folder, runs, head)
    text = summary_text(checked.summary).replace("Annex A validation", "Statutory returns (DfE)")
    out = {
        "folder": str(folder),
        "validation": str(folder / "validation.json"),
        "report": str(folder / "report.html"),
        "worklist": str(folder / "worklist.csv"),
        "errors": checked.errors,
        "warnings": checked.summary["warnings"],
        "validators": checked.summary["validators"],
    }
    if checked.errors:
        log.error("%s", text)
        raise ValidationFailed(
            f"{text}\nStatutory returns not published (Annex A is unaffected). "
            f"Report: {out['report']}; worklist: {out['worklist']}",
            out["validation"],
        )
    log.info("%s", text)
    return out


def returns_publish_step(cfg: dict, built: dict, checked: dict) -> dict:
    """Publish the returns under ``<out>/<la>/returns/<year>/<reference date>``."""
    owner_only()
    from annexa.returns.publish import publish_returns

    c = RunConfig(**cfg)
    public = publish_returns(
        Path(c.out_dir),
        c.la_code,
        built,
        checked,
        run_key=c.run_key,
        code_version=_code_version(),
    )
    return {"published": str(public), "cin_xml": str(public / "cin_census.xml")}


def backfill_month(params: dict, snapshot: str, as_at: str, extract: dict) -> str:
    """One month end of ``backfill_from_snapshot``: build, gate, publish; its outcome."""
    cfg = resolve_run(params | {"as_at": as_at}, run_id=f"backfill__{as_at}")
    build = build_step(cfg, snapshot)
    try:
        validation = validate_step(cfg, build)
    except ValidationFailed:
        outcome = "blocked"
    else:
        publish_step(cfg, build, validation, extract)
        outcome = "published"
    shutil.rmtree(RunConfig(**cfg).work_dir() / "duckdb_tmp", ignore_errors=True)
    return outcome


def backfill_from_snapshot(
    params: dict,
    snapshot: str,
    dates: list[dt.date],
    *,
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, str]:
    """Publish month-end returns for ``dates`` from one snapshot already taken (the demo's
    trend history; issue 12.5): for each date the same build, gate and publish steps as the
    ``annex_a`` DAG (``backfill_month``), without extracting the CMS again, in up to
    ``workers`` processes (the publisher's LA lock orders the releases). A date already
    published is skipped; a date the gate blocks publishes nothing (a gap in the trends).
    Returns ``{as-at: "published" | "skipped" | "blocked"}``. Only for sources whose history
    the snapshot holds in full (the synthetic CMS): a real CMS's current-state fields make old
    month ends approximate (docs/pack.md), so an LA backfills with ``annexa backfill``."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from annexa.publish.publisher import published_dates
    from annexa.source.extract import read_manifest

    out: dict[str, str] = {}
    m = read_manifest(Path(snapshot))
    extract = {
        "snapshot": str(snapshot),
        "source": m["source"],
        "rows": {t: v["rows"] for t, v in m["tables"].items()},
    }
    la = str(params.get("la_code") or "999")
    out_dir = Path(params.get("out_dir") or default_output_dir())
    done = set(published_dates(out_dir / la))
    todo = []
    for d in dates:
        if d in done:
            out[d.isoformat()] = "skipped"
        else:
            todo.append(d.isoformat())
    if workers <= 1 or len(todo) <= 1:
        for as_at in todo:
            out[as_at] = backfill_month(params, snapshot, as_at, extract)
            if progress:
                progress(f"  {as_at}: {out[as_at]}")
    else:  # spawned, not forked: the caller may hold database connections (Airflow's)
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            jobs = {pool.submit(backfill_month, params, snapshot, d, extract): d for d in todo}
            for job in as_completed(jobs):
                out[jobs[job]] = job.result()
                if progress:
                    progress(f"  {jobs[job]}: {out[jobs[job]]}")
    return dict(sorted(out.items()))
