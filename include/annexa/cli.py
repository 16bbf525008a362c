"""The ``annexa`` command: generate a synthetic CMS, run the Annex A DAG, or run the demo.

``annexa run`` executes the real ``annex_a`` DAG through Airflow (``dag.test()`` against a real
metadata database), so a command-line run and a scheduled run are the same code path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from annexa.core.constants import CMS_BUILDS, today_london
from annexa.core.dates import parse_date
from annexa.core.paths import REPO_ROOT, annexa_home

SCALES = ("small", "medium", "large", "xlarge")


def _say(msg: str) -> None:
    print(msg, flush=True)


def _date_arg(value: str) -> dt.date:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _today_london() -> dt.date:
    return today_london()


def _check_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except ArgumentError:
        raise SystemExit(
            f"annexa: not a SQLAlchemy URL: {url!r} "
            "(e.g. sqlite:////abs/cms.db or postgresql+psycopg://user@host/db)"
        ) from None
    return url


def dags_dir() -> Path:
    from annexa.core.paths import PACKAGE_DIR

    bundled = PACKAGE_DIR / "dags"
    return bundled if bundled.is_dir() else REPO_ROOT / "dags"


def airflow_env(home: Path) -> None:
    """Point Airflow at a local SQLite metadata DB unless the caller configured one. The DB
    holds connections and XComs: it is created owner-only (``seal_metadata_db`` after initdb)."""
    from annexa.core.files import owner_only

    owner_only()
    af_home = Path(os.environ.setdefault("AIRFLOW_HOME", str(home / "airflow")))
    af_home.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ.setdefault(
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{af_home / 'airflow.db'}"
    )
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(dags_dir()))
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def seal_metadata_db() -> None:
    """Make a SQLite Airflow metadata DB (and its journal files) owner-only, also one created
    before this process set its umask."""
    from sqlalchemy.engine import make_url

    from annexa.core.files import seal

    url = make_url(os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "sqlite://"))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(url.database + suffix)
        if p.is_file():
            seal(p)


def cmd_generate(args: argparse.Namespace) -> int:
    from annexa.source.extract import safe_url
    from annexa.source.synthetic import generate

    url = _check_url(args.url)
    as_at = args.as_at or _today_london()
    faults = getattr(args, "faults", None)
    if faults is not None and args.messy:
        raise SystemExit(
            "annexa: --faults needs a clean CMS (its record choices assume clean "
            "codes); drop --messy"
        )
    manifest = _faults_file(url, faults) if faults is not None else None
    _say(
        f"Generating a {args.scale} synthetic CMS (seed {args.seed}, as at {as_at}, "
        f"{'messy' if args.messy else 'clean'}) into {safe_url(url)}"
    )
    t0 = time.time()
    counts = generate(
        url,
        scale=args.scale,
        seed=args.seed,
        as_at=as_at,
        messy=args.messy,
        progress=lambda m: _say(f"  {m}"),
    )
    _say(f"Done in {time.time() - t0:.1f}s: {sum(counts.values()):,} rows in {len(counts)} tables")
    if manifest is not None:
        return inject_faults(url, as_at, args.seed, manifest)
    return 0


def _faults_file(url: str, given: str) -> Path:
    """Where the fault manifest goes: FILE when given, else beside a SQLite database."""
    from sqlalchemy.engine import make_url

    if given:
        return Path(given).expanduser().resolve()
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return Path(u.database).expanduser().resolve().parent / "faults.json"
    raise SystemExit(
        "annexa: --faults needs a FILE for the manifest unless --url is a SQLite "
        "database file (then it defaults to faults.json beside it)"
    )


def inject_faults(url: str, as_at: dt.date, seed: int, path: Path) -> int:
    """Corrupt the freshly generated CMS with every fault class; write the manifest."""
    from annexa.source.faults import FaultError, inject, write_manifest

    _say(f"Injecting faults (seed {seed}, as at {as_at})")
    try:
        manifest = inject(url, as_at, seed=seed)
    except FaultError as exc:
        raise SystemExit(f"annexa: {exc}") from None
    for name, f in manifest.items():
        short = "" if f["injected"] == f["requested"] else f" (of {f['requested']} asked)"
        fate = f"to be caught by {f['rule']}" if f["rule"] else "to be tolerated"
        _say(f"  {name}: {f['injected']} record(s){short}, {fate} ({f['severity']})")
    write_manifest(path, manifest)
    _say(f"Fault manifest: {path}")
    return 0


def run_dag(
    source: str,
    as_at: dt.date,
    out: Path,
    *,
    la_code: str,
    la_name: str = "",
    version: str = "later",
    layout: str = "ofsted",
    mapping: str | None = None,
    cms: str | None = None,
    waivers: str | None = None,
) -> tuple[str, dict]:
    """Run the annex_a DAG once through Airflow; returns (state, result): ``published`` (the
    release folder) when one was published, ``snapshot`` when the run extracted one."""
    airflow_env(annexa_home())
    os.environ["AIRFLOW_CONN_ANNEXA_CMS"] = json.dumps(
        {"conn_type": "generic", "extra": {"sqlalchemy_url": source}}
    )
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils.db import initdb

    initdb()
    seal_metadata_db()
    bag = DagBag(dag_folder=str(dags_dir() / "annex_a.py"))
    if bag.import_errors:
        raise SystemExit(f"annexa: DAG import errors: {bag.import_errors}")
    dag = bag.dags["annex_a"]
    conf = {
        "as_at": as_at.isoformat(),
        "la_code": la_code,
        "la_name": la_name,
        "annex_version": version,
        "layout": layout,
        "out_dir": str(out),
        "source_conn_id": "annexa_cms",
        "mapping": mapping,
        "cms": cms,
        "waivers": waivers,
        "registry": "",  # one LA, whatever ANNEXA_LAS says (the registry is for deployments)
    }
    dr = dag.test(run_conf=conf)
    state = str(getattr(dr, "state", "failed"))
    published = Path(out) / la_code / as_at.isoformat()
    result = {"published": str(published)} if published.exists() else {}
    from annexa.pipeline import run_key

    snapshot = annexa_home() / "snapshots" / la_code / as_at.isoformat() / run_key(dr.run_id)
    if (snapshot / "manifest.json").is_file():  # the run's extract (kept for backfills)
        result["snapshot"] = str(snapshot)
    return state, result


def run_dag_in_child(source: str, as_at: dt.date, out: Path, **kwargs: Any) -> tuple[str, dict]:
    """``run_dag`` in a spawned process that exits when the run ends, so that what the run
    held (Airflow, GX, the run's DuckDB and Arrow buffers: ~0.75 GB at ``large``) is given back
    to the system before ``annexa backfill`` starts its month-end workers, instead of staying in
    this process beside them. The run's output goes to this process's stdout and stderr."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    airflow_env(annexa_home())  # here too: the umask and environment the workers inherit
    ctx = multiprocessing.get_context("spawn")  # not forked: a clean interpreter, as run_dag's
    with ProcessPoolExecutor(1, mp_context=ctx) as pool:
        return pool.submit(run_dag, source, as_at, out, **kwargs).result()


def _run_dag_for(
    args: argparse.Namespace, source: str, as_at: dt.date, out: Path, *, in_child: bool = False
) -> tuple[str, dict]:
    """``run_dag`` with the return's options as ``annexa run`` and ``annexa backfill`` parse
    them (one list of options, so the two commands cannot drift apart); with ``in_child``,
    in a process of its own (``run_dag_in_child``)."""
    return (run_dag_in_child if in_child else run_dag)(
        source,
        as_at,
        out,
        la_code=args.la_code,
        la_name=args.la_name,
        version=args.annex_version,
        layout=args.layout,
        mapping=args.mapping,
        cms=args.cms,
        waivers=args.waivers,
    )


def run_pack_dag(
    out: Path, la_code: str, as_at: dt.date | None = None, suppress_below: int | None = None
) -> tuple[str, Path | None]:
    """Run the annex_a_pack DAG once through Airflow for a published return (``as_at``, else
    the latest); returns its state and the pack's dated link ``OUT/<la>/packs/<as-at>`` (not
    the release folder it points at, nor ``packs/latest``), or None when there is none."""
    airflow_env(annexa_home())
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils.db import initdb

    from annexa.pack.make import PackError, pack_as_at

    try:  # the date the DAG packs, decided as the DAG decides it
        built: dt.date | None = pack_as_at(Path(out), la_code, as_at)
    except PackError:
        built = None  # the DAG fails and says why
    initdb()
    seal_metadata_db()
    bag = DagBag(dag_folder=str(dags_dir() / "annex_a_pack.py"))
    if bag.import_errors:
        raise SystemExit(f"annexa: DAG import errors: {bag.import_errors}")
    dr = bag.dags["annex_a_pack"].test(
        run_conf={
            "la_code": la_code,
            "out_dir": str(out),
            "as_at": as_at.isoformat() if as_at else None,
            "suppress_below": suppress_below,
        }
    )
    state = str(getattr(dr, "state", "failed"))
    if built is None:
        return state, None
    folder = Path(out).resolve() / la_code / "packs" / built.isoformat()
    return state, (folder if folder.is_dir() else None)


def _say_pack(folder: Path, suppress_below: int | None = None) -> None:
    """Where the pack was published: its dated link, and the one that follows the newest."""
    extra = f", pack_aggregate_{suppress_below}.html" if suppress_below else ""
    _say(f"Intelligence pack: {folder / 'pack.html'} (pack.xlsx, offline explorer.html{extra})")
    _say(f"  {folder.parent / 'latest'} points at the newest pack")


def run_returns_dag(
    source: str,
    out: Path,
    *,
    la_code: str,
    la_name: str = "",
    year: int | None = None,
    reference_date: dt.date | None = None,
    mapping: str | None = None,
) -> tuple[str, Path | None]:
    """Run the statutory_returns DAG once through Airflow; returns (state, published folder)."""
    airflow_env(annexa_home())
    os.environ["AIRFLOW_CONN_ANNEXA_CMS"] = json.dumps(
        {"conn_type": "generic", "extra": {"sqlalchemy_url": source}}
    )
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils.db import initdb

    from annexa.returns.build import collection_year, default_reference_date

    initdb()
    seal_metadata_db()
    bag = DagBag(dag_folder=str(dags_dir() / "statutory_returns.py"))
    if bag.import_errors:
        raise SystemExit(f"annexa: DAG import errors: {bag.import_errors}")
    if reference_date is None:
        year = year or collection_year(_today_london())
        reference_date = default_reference_date(year)
    year = year or collection_year(reference_date)
    dr = bag.dags["statutory_returns"].test(
        run_conf={
            "year": year,
            "reference_date": reference_date.isoformat(),
            "la_code": la_code,
            "la_name": la_name,
            "out_dir": str(out),
            "source_conn_id": "annexa_cms",
            "mapping": mapping,
        }
    )
    state = str(getattr(dr, "state", "failed"))
    folder = Path(out) / la_code / "returns" / str(year) / reference_date.isoformat()
    return state, (folder if folder.exists() else None)


def cmd_returns(args: argparse.Namespace) -> int:
    url = _check_url(args.source)
    out = Path(args.out).expanduser().resolve()
    state, folder = run_returns_dag(
        url,
        out,
        la_code=args.la_code,
        la_name=args.la_name,
        year=args.year,
        reference_date=args.reference_date,
        mapping=args.mapping,
    )
    if state != "success" or folder is None:
        _say(
            f"annexa: the statutory returns were not published (state: {state}): DfE's rules "
            "found errors or a step failed; see the report in the run folder and the logs above."
        )
        return 1
    _say(f"CIN census: {folder / 'cin_census.xml'}")
    _say(f"SSDA903: {folder / 'ssda903'}/*.csv (DfE findings: {folder / 'report.html'})")
    manifest = json.loads((folder / "manifest.json").read_text())
    if manifest.get("in_year"):
        _say(
            f"In-year preview: the CMS as of {manifest.get('data_as_of')}, the year ends "
            f"{manifest['reference_date']}; DfE's year-end rules are reported, not blocking "
            "(run again after 31 March for the return to submit)."
        )
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser().resolve()
    state, folder = run_pack_dag(out, args.la_code, args.as_at, args.suppress_below)
    if state != "success" or folder is None:
        _say(f"annexa: the pack run did not succeed (state: {state}); see the task log above.")
        return 1
    _say_pack(folder, args.suppress_below)
    return 0


def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The month-end dates from ``first``'s month to ``last`` (inclusive)."""
    import calendar

    out: list[dt.date] = []
    y, m = first.year, first.month
    while True:
        d = dt.date(y, m, calendar.monthrange(y, m)[1])
        if d > last:
            return out
        if d >= first:
            out.append(d)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def cmd_backfill(args: argparse.Namespace) -> int:
    """Month-end returns between two dates from one extract of the CMS: the newest month end
    is an ``annex_a`` run through Airflow (extract, build, validate, publish; in a process of
    its own that exits before the next step, so its memory is returned), every other
    month end is built from that run's snapshot by the same steps in two processes
    (``annexa.pipeline.backfill_from_snapshot``: the work that does not depend on the as-at
    date is shared). Each month end is validated and published, or blocked, on its own."""
    from annexa.pipeline import backfill_from_snapshot

    url = _check_url(args.source)
    out = Path(args.out).expanduser().resolve()
    dates = month_ends(args.from_date, args.to_date)
    if not dates:
        _say("annexa: no month end between those dates")
        return 2
    started = time.monotonic()
    _say(f"[1/{len(dates)}] annex_a as at {dates[-1]} (extracts the CMS once)")
    state, result = _run_dag_for(args, url, dates[-1], out, in_child=True)
    failed = [] if state == "success" else [dates[-1].isoformat()]
    if len(dates) > 1 and "snapshot" not in result:
        _say("annexa: the run extracted no snapshot (see its log above); nothing backfilled")
        return 1
    if len(dates) > 1:
        _say(f"[2-{len(dates)}/{len(dates)}] the other month ends from that run's snapshot")
        params = {
            "la_code": args.la_code,
            "la_name": args.la_name,
            "annex_version": args.annex_version,
            "layout": args.layout,
            "out_dir": str(out),
            "mapping": args.mapping,
            "waivers": args.waivers,
        }
        outcome = backfill_from_snapshot(
            params,
            result["snapshot"],
            dates[:-1],
            workers=max(1, min(args.workers, os.cpu_count() or 1)),
            progress=_say,
            skip_published=False,
        )
        failed += [d for d, o in outcome.items() if o != "published"]
    _say(
        f"Backfilled {len(dates) - len(failed)} of {len(dates)} month ends "
        f"in {time.monotonic() - started:.0f} s"
        + (f"; not published: {', '.join(sorted(failed))}" if failed else "")
    )
    return 1 if failed else 0


def cmd_run(args: argparse.Namespace) -> int:
    from annexa.publish.workbook import workbook_name
    from annexa.source.extract import safe_url

    url = _check_url(args.source)
    out = Path(args.out).expanduser().resolve()
    _say(
        f"Running the annex_a DAG: LA {args.la_code}, as at {args.as_at}, "
        f"source {safe_url(url)}, output {out}"
    )
    state, result = _run_dag_for(args, url, args.as_at, out)
    if state != "success" or not result:
        _say(
            f"annexa: the run did not succeed (state: {state}); nothing new was published. "
            "See the task logs above and docs/runbook.md."
        )
        return 1
    folder = Path(result["published"])
    _say(f"Published: {folder / workbook_name(args.la_code, args.as_at)}")
    return 0


def _demo_trends(home: Path, out: Path, as_at: dt.date, months: int) -> None:
    """Publish the ``months`` month ends before ``as_at`` from the run's own snapshot, so the
    pack's trends have points (annexa.pipeline.backfill_from_snapshot; issue 12.5)."""
    import time

    from annexa.pipeline import backfill_from_snapshot

    snaps = home / "snapshots" / "999" / as_at.isoformat()
    done = (
        sorted(
            (p for p in snaps.iterdir() if (p / "manifest.json").is_file()),
            key=lambda p: p.stat().st_mtime,
        )
        if snaps.is_dir()
        else []
    )
    if not done:
        _say("annexa: no snapshot of the demo run to backfill the trends from")
        return
    first = dt.date(as_at.year - months // 12 - 1, 1, 1)
    dates = [d for d in month_ends(first, as_at) if d < as_at][-months:]
    _say(f"Backfilling {len(dates)} month ends for the trends (from the run's snapshot)")
    started = time.monotonic()
    result = backfill_from_snapshot(
        {"la_code": "999", "la_name": "Synthshire (synthetic)", "out_dir": str(out)},
        str(done[-1]),
        dates,
        workers=min(2, os.cpu_count() or 1),
        progress=_say,
    )
    counts = {k: list(result.values()).count(k) for k in ("published", "skipped", "blocked")}
    _say(
        f"Trend history: {counts['published']} published, {counts['skipped']} already there, "
        f"{counts['blocked']} blocked by the gate ({time.monotonic() - started:.0f} s)"
    )


def cmd_demo(args: argparse.Namespace) -> int:
    home = annexa_home()
    demo_dir = home / "demo"
    demo_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    as_at = args.as_at or _today_london()
    faults = getattr(args, "faults", False)
    stem = f"cms_{args.scale}_seed{args.seed}_{as_at.isoformat()}{'_faults' if faults else ''}"
    db = demo_dir / f"{stem}.db"
    manifest = demo_dir / f"{stem}.faults.json"
    url = f"sqlite:///{db}"
    if not db.exists() or args.regenerate or (faults and not manifest.exists()):
        tmp = db.with_suffix(".tmp.db")
        tmp.unlink(missing_ok=True)
        rc = cmd_generate(
            argparse.Namespace(
                url=f"sqlite:///{tmp}",
                scale=args.scale,
                seed=args.seed,
                as_at=as_at,
                messy=False,
                faults=str(manifest) if faults else None,
            )
        )
        if rc:
            return rc
        tmp.rename(db)
    else:
        _say(f"Reusing the synthetic CMS at {db}")
    if faults:
        _say(
            f"This CMS holds injected faults (manifest: {manifest}): the run should fail "
            "validation and publish nothing."
        )
    out = Path(args.out).expanduser().resolve() if args.out else home / "published"
    if not os.environ.get("ANNEXA_BENCHMARKS"):  # synthetic neighbours and targets for LA 999
        from annexa.reference import reference_dir

        os.environ["ANNEXA_BENCHMARKS"] = str(reference_dir() / "benchmarks_999.yaml")
    runs = home / "runs" / "999" / as_at.isoformat()
    before = set(runs.iterdir()) if runs.is_dir() else set()
    rc = cmd_run(
        argparse.Namespace(
            source=url,
            as_at=as_at,
            out=str(out),
            la_code="999",
            la_name="Synthshire (synthetic)",
            annex_version="later",
            layout="ofsted",
            mapping=None,
            cms=None,
            waivers=None,
        )
    )
    if rc == 0 and not faults:
        # the statutory returns from the same CMS (issue 11) for the last complete collection
        # year (the one an LA submits): reference date the last 31 March on or before A. A year
        # still running has children due to leave care by 31 March still in care (DfE 359).
        from annexa.returns.build import collection_year, last_reference_date
        from annexa.returns.validators import ValidatorsMissing, python

        try:  # without DfE's rules there is nothing to validate the returns with: say so
            python()
        except ValidatorsMissing as exc:
            _say(f"annexa: the statutory returns were not built: {exc}.")
        else:
            state, folder = run_returns_dag(
                url,
                out,
                la_code="999",
                la_name="Synthshire (synthetic)",
                year=collection_year(last_reference_date(as_at)),
            )
            if folder is None:  # reported, but the Annex A demo stands (its publish is unaffected)
                _say(
                    f"annexa: the statutory returns were not published (state: {state}): DfE's "
                    "rules found errors; see report.html in the run's returns folder."
                )
            else:
                _say(f"Statutory returns: {folder / 'cin_census.xml'} and {folder / 'ssda903'}/")
    if rc == 0:
        _say(f"Latest return: {out / '999' / 'latest'}")
        months = getattr(args, "trend_months", 0) or 0
        if months and not faults:
            _demo_trends(home, out, as_at, months)
        state, pack = run_pack_dag(out, "999", as_at)
        if state != "success" or pack is None:
            _say("annexa: the intelligence pack failed (the return is published); see above.")
            return 1
        _say_pack(pack)
    if faults:
        new = (
            sorted(
                (p for p in runs.iterdir() if p not in before and p.is_dir()),
                key=lambda p: p.stat().st_mtime,
            )
            if runs.is_dir()
            else []
        )
        folder = new[-1] if new else None
        reports = [
            folder / n
            for n in ("report.html", "worklist.csv", "validation.json")
            if folder is not None and (folder / n).exists()
        ]
        if folder is not None:
            _say(f"Run folder: {folder}")
            for path in reports:
                _say(f"  {path.name}: {path}")
        if rc == 0:
            _say(
                "annexa: the faulted CMS passed validation and was published: the gate missed "
                f"the faults listed in {manifest}"
            )
            return 1
        if not reports:
            _say("annexa: the run failed before validation reported (see the task logs above)")
            return rc
        _say(f"As expected, validation stopped the run; compare its report with {manifest}")
        return 0
    return rc


def _source_args(p: argparse.ArgumentParser, *, out_help: str, waivers: bool) -> None:
    """The arguments of every command that reads a CMS and publishes for one LA (run,
    returns, backfill): the source, the output folder, the LA, its code mapping and, where the
    gate runs, its waivers. Defaults come from the environment (.env.example)."""
    p.add_argument("--source", required=True, help="SQLAlchemy URL of the CMS (SSD tables)")
    p.add_argument("--out", required=True, help=out_help)
    p.add_argument("--la-code", default=os.environ.get("ANNEXA_LA_CODE", "999"))
    p.add_argument("--la-name", default=os.environ.get("ANNEXA_LA_NAME", ""))
    p.add_argument(
        "--mapping",
        default=os.environ.get("ANNEXA_MAPPING"),
        help="LA code-mapping YAML (default: identity)",
    )
    if waivers:
        p.add_argument(
            "--waivers",
            default=os.environ.get("ANNEXA_WAIVERS"),
            help="waiver YAML (accepted anomalies; docs/validation.md)",
        )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="annexa", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="write a synthetic SSD-shaped CMS to a database")
    g.add_argument("--url", required=True, help="SQLAlchemy URL, e.g. sqlite:////tmp/cms.db")
    g.add_argument("--scale", choices=SCALES, default="small")
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--as-at", type=_date_arg, default=None, help="YYYY-MM-DD (default today)")
    g.add_argument(
        "--messy", action="store_true", help="render values as a real Liquidlogic SSD build would"
    )
    g.add_argument(
        "--faults",
        nargs="?",
        const="",
        default=None,
        metavar="FILE",
        help="then inject every fault class and write their manifest to FILE "
        "(default: faults.json beside a SQLite database)",
    )
    g.set_defaults(func=cmd_generate)

    r = sub.add_parser("run", help="run the annex_a DAG through Airflow for one as-at date")
    _source_args(r, out_help="output folder; files land in OUT/<la>/<as-at>/", waivers=True)
    r.add_argument("--as-at", type=_date_arg, required=True, help="YYYY-MM-DD")
    r.add_argument("--annex-version", choices=("later", "2019"), default="later")
    r.add_argument("--layout", choices=("ofsted", "liia"), default="ofsted")
    r.add_argument(
        "--cms",
        choices=CMS_BUILDS,
        default=None,
        help="CMS build, for its column aliases",
    )
    r.set_defaults(func=cmd_run)

    d = sub.add_parser("demo", help="generate a synthetic CMS and publish its return")
    d.add_argument("--scale", choices=SCALES, default="small")
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--as-at", type=_date_arg, default=None)
    d.add_argument("--out", default=None)
    d.add_argument("--regenerate", action="store_true")
    d.add_argument(
        "--trend-months",
        type=int,
        default=11,
        help="month ends before the as-at date to publish from the same snapshot, so the "
        "pack's trends have points (default 11: a 12-month trend; 0: none)",
    )
    d.add_argument(
        "--faults",
        action="store_true",
        help="inject faults into the CMS: the run must fail validation and publish nothing",
    )
    d.set_defaults(func=cmd_demo)

    k = sub.add_parser(
        "pack",
        help="render the intelligence pack of a published return (runs the annex_a_pack DAG)",
    )
    k.add_argument("--out", required=True, help="the published returns folder")
    k.add_argument("--la-code", default=os.environ.get("ANNEXA_LA_CODE", "999"))
    k.add_argument("--as-at", type=_date_arg, default=None, help="default: the latest return")
    k.add_argument(
        "--suppress-below",
        type=int,
        default=None,
        help="also write an aggregate-only pack with small numbers suppressed",
    )
    k.set_defaults(func=cmd_pack)

    t = sub.add_parser(
        "returns",
        help="build the CIN census XML and SSDA903 CSVs, check them with DfE's rules, publish "
        "(runs the statutory_returns DAG)",
    )
    _source_args(t, out_help="files land in OUT/<la>/returns/<year>/<date>/", waivers=False)
    t.add_argument("--year", type=int, default=None, help="collection year by its 31 March")
    t.add_argument(
        "--reference-date", type=_date_arg, default=None, help="default: 31 March of the year"
    )
    t.set_defaults(func=cmd_returns)

    b = sub.add_parser(
        "backfill",
        help="publish every month end between two dates from one extract of the CMS (trend "
        "history for the pack)",
    )
    _source_args(b, out_help="files land in OUT/<la>/<as-at>/ for each month end", waivers=True)
    b.add_argument("--from", dest="from_date", type=_date_arg, required=True)
    b.add_argument("--to", dest="to_date", type=_date_arg, required=True)
    b.add_argument("--annex-version", choices=("later", "2019"), default="later")
    b.add_argument("--layout", choices=("ofsted", "liia"), default="ofsted")
    b.add_argument(
        "--cms", choices=CMS_BUILDS, default=None, help="CMS build, for its column aliases"
    )
    b.add_argument(
        "--workers", type=int, default=2, help="processes building month ends (default 2)"
    )
    b.set_defaults(func=cmd_backfill)

    s = sub.add_parser(
        "suites", help="check (default) or regenerate expectations/ from the reference data"
    )
    s.add_argument("--write", action="store_true", help="regenerate the suite files")
    s.set_defaults(func=cmd_suites)
    return p


def cmd_suites(args: argparse.Namespace) -> int:
    from annexa.validate.suites import stale_suites, write_suites

    if args.write:
        _say(f"wrote {len(write_suites())} suites to expectations/")
        return 0
    stale = stale_suites()
    if stale:
        _say(f"out of date (run `annexa suites --write`): {', '.join(stale)}")
        return 1
    _say("expectation suites match the reference data")
    return 0


def main(argv: list[str] | None = None) -> int:
    from annexa.core.files import owner_only

    owner_only()  # before anything is written (issue 14.4)
    args = parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
