"""The steps of one Annex A run: extract, build, validate, publish, as plain functions the DAG's
tasks call. Each takes and returns small JSON-able dicts (paths, counts, ids), so XCom never
carries child-level data and every step can be re-run alone. Nothing here imports Airflow.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import annexa
from annexa.core.constants import london_date, today_london
from annexa.core.files import (
    folder_lock,
    owner_only,
    private_dir,
    sha256_file,
    write_bytes,
    write_json,
    write_text,
)
from annexa.core.paths import annexa_home
from annexa.pipeline.config import RunConfig, ValidationFailed, tracked

if TYPE_CHECKING:
    from annexa.transform.runner import SnapshotBuild
    from annexa.validate.gate import GateSession

log = logging.getLogger(__name__)


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


def snapshot_extract(snapshot: str | Path) -> dict:
    """The extract step's result for a snapshot (what build and publish are given)."""
    from annexa.source.extract import read_manifest

    m = read_manifest(Path(snapshot))
    return {
        "snapshot": str(snapshot),
        "source": m["source"],
        "seconds": m.get("seconds"),
        "rows": {t: v["rows"] for t, v in m["tables"].items()},
    }


def shared_snapshot_dir(cfg: dict, source_url: str, day: dt.date) -> Path:
    """Where the backfill runs of one London day share one snapshot of one source:
    ``snapshots/<la>/backfill/<day>/<fingerprint>``, the fingerprint a hash of the source (its
    URL without the password, the CMS build), the extract reader and the code version, so a
    snapshot is only reused by runs that would have extracted the same one."""
    from annexa.source.extract import safe_url

    c = RunConfig(**cfg)
    key = [safe_url(source_url), c.cms, os.environ.get("ANNEXA_EXTRACT_READER", ""), code_version()]
    fingerprint = hashlib.sha256(json.dumps(key).encode()).hexdigest()[:16]
    return annexa_home() / "snapshots" / c.la_code / "backfill" / day.isoformat() / fingerprint


@tracked("extract")
def extract_step(
    cfg: dict,
    source_url: str,
    *,
    progress: Callable[[str], None] | None = None,
    share: bool = False,
) -> dict:
    """Snapshot the CMS for this run (replacing a failed earlier attempt of the same run).

    With ``share`` (the runs of ``airflow backfill create``, which all read today's CMS), the
    runs of one London day share one snapshot of the same source (``shared_snapshot_dir``):
    under that folder's lock, the first run extracts it and every later run reuses it once its
    checksums verify (an incomplete or altered one is extracted again). The result says
    ``"shared": true`` when the snapshot was reused. Scheduled and manual runs always
    extract."""
    owner_only()
    from annexa.source.extract import ExtractError, verify_snapshot

    c = RunConfig(**cfg)
    if not share:
        dest = c.snapshot_dir()
        if dest.exists():  # a retry of this run: the old snapshot may predate a source fix
            _discard_snapshot(dest)
        _extract(c, source_url, dest, progress)
        return snapshot_extract(dest)
    dest = shared_snapshot_dir(cfg, source_url, today_london())
    with folder_lock(dest.parent, progress, "the backfill's shared snapshot"):
        if (dest / "manifest.json").is_file():
            try:
                verify_snapshot(dest)
            except ExtractError as exc:
                log.warning("shared snapshot not reused, extracting again: %s", exc)
            else:
                log.info("backfill run: reusing the snapshot %s", dest)
                return snapshot_extract(dest) | {"shared": True}
        if dest.exists():
            _discard_snapshot(dest)
        _extract(c, source_url, dest, progress)
        return snapshot_extract(dest) | {"shared": False}


def _discard_snapshot(dest: Path) -> None:
    """Remove an old snapshot, renamed aside first (atomic), so a kill mid-delete never leaves a
    half snapshot that looks whole where the build reads (issue 14.3)."""
    doomed = dest.with_name(f".{dest.name}.old")
    shutil.rmtree(doomed, ignore_errors=True)
    os.rename(dest, doomed)
    shutil.rmtree(doomed)


def _extract(
    c: RunConfig, source_url: str, dest: Path, progress: Callable[[str], None] | None
) -> None:
    from annexa.source.extract import extract

    try:
        extract(source_url, dest, cms=c.cms, progress=progress)
    except Exception as exc:  # noqa: BLE001 - any driver's error: reworded, never the URL
        raise SourceUnavailable(c.source_conn_id, source_url, exc) from None


@tracked("build")
def build_step(
    cfg: dict,
    snapshot: str,
    *,
    progress: Callable[[str], None] | None = None,
    shared: SnapshotBuild | None = None,
) -> dict:
    """Run every registered query over the snapshot (``annexa.transform.runner.build``): the
    lists, the source check frames and the cross rules' failing rows land as Parquet in the
    run's work folder for the gate; then the pack's inputs are written from the indicator and
    drill-down rows (``annexa.pack.inputs``), and the build's record ``build.json``. With
    ``shared`` (a backfill: ``annexa.pipeline.backfill``) the month end is built on that open
    build of the same snapshot, verified when it was opened, and its shared check frames."""
    owner_only()
    from annexa.pack.inputs import write_pack_inputs
    from annexa.source.extract import read_manifest, verify_snapshot
    from annexa.transform.mapping import load_mapping
    from annexa.transform.runner import build

    c = RunConfig(**cfg)
    mapping = load_mapping(c.mapping)
    if shared is None:
        verify_snapshot(Path(snapshot))  # the manifest's checksums: built only as extracted
    with _benchmarks(c.benchmarks):  # the catalogue the pack's inputs join reads this LA's file
        if shared is not None:
            result = shared.month(c.work_dir(), c.windows)
        else:
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
def validate_step(
    cfg: dict, build: dict, *, today: dt.date | None = None, session: GateSession | None = None
) -> dict:
    """The gate: run every rule (lists, source tables, cross-list, unmapped values), apply live
    waivers, write validation.json, the HTML report and the CSV worklist into the run folder, and
    raise ValidationFailed when errors remain that no waiver covers. ``session``: the gate's
    state shared by the month ends of one backfill (``annexa.validate.gate.GateSession``)."""
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
    summary, items = run_gate(inputs, session)
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


def code_version() -> str:
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
            "code_version": code_version(),
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
