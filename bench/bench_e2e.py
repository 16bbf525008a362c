"""Benchmark: the whole nightly run end to end, as users run it, against the floor (issue 10).

Per scale, a synthetic CMS (seed 1, as at 2026-03-31; generated once, or given with ``--cms``)
is run through ``annexa run`` in a child process: the real ``annex_a`` DAG through Airflow
(``dag.test()`` against a SQLite metadata DB created beforehand, as a nightly run finds it).
Measured: the wall time and CPU time of that process, each task's duration from the metadata DB's
task instances, the peak RSS of the whole process tree (polled every 50 ms), and, in this same
bench process, the **floor**: reading every source table once through an Arrow-native driver
(ADBC SQLite or PostgreSQL) into Arrow and nothing else; the same read through the SQLAlchemy
DBAPI driver (rows to Arrow) is printed beside it. The machine's load is printed with each row:
on a shared machine wall times inflate, CPU times much less. Figures only: never pass/fail.

    .venv/bin/python bench/bench_e2e.py [--scales small,medium,large] [--keep DIR]
        [--cms large=/work/perf_large.db] [--cms large=postgresql+psycopg://...]
        [--faults] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

AS_AT = "2026-03-31"
ROOT = Path(__file__).resolve().parents[1]
ANNEXA = str(Path(sys.executable).parent / "annexa")  # --annexa: another checkout's, for "before"
TASKS = ("configure", "extract", "build", "validate", "publish")


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _url_of(source: str) -> str:
    return source if "://" in source else f"sqlite:///{Path(source).resolve()}"


def floor(url: str) -> dict:
    """Read every contract table once into Arrow: Arrow-native (ADBC) and through the DBAPI."""
    import pyarrow as pa
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from annexa.source.contract import TABLES

    u = make_url(url)
    names = [t.name for t in TABLES]
    out: dict = {}

    # Arrow-native: ADBC. SQLite's driver types a column from its first rows, so a text row of
    # every column leads (then sliced off): each column reads as text, whatever it holds.
    c0, w0 = time.process_time(), time.time()
    rows = 0
    if u.get_backend_name() == "sqlite":
        import adbc_driver_sqlite.dbapi as adbc

        conn = adbc.connect(u.database)
        lite = sqlite3.connect(u.database)
        cols = {n: [r[1] for r in lite.execute(f'pragma table_info("{n}")')] for n in names}
        lite.close()
        with conn, conn.cursor() as cur:
            for n in names:
                lead = ", ".join(f"'' as \"{c}\"" for c in cols[n])
                cur.execute(f'select {lead} union all select * from "{n}"')
                rows += cur.fetch_arrow_table().slice(1).num_rows
    elif u.get_backend_name() == "postgresql":
        import adbc_driver_postgresql.dbapi as adbc

        libpq = u.set(drivername="postgresql").render_as_string(hide_password=False)
        with adbc.connect(libpq) as conn, conn.cursor() as cur:
            for n in names:
                cur.execute(f'select * from "{n}"')
                rows += cur.fetch_arrow_table().num_rows
    out["arrow_s"], out["arrow_cpu_s"] = time.time() - w0, time.process_time() - c0
    out["rows"] = rows

    # the DBAPI driver SQLAlchemy uses, rows to Arrow columns (no cleaning, no Parquet)
    engine = sa.create_engine(url)
    c0, w0 = time.process_time(), time.time()
    rows = 0
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for n in names:
            cur.execute(f'select * from "{n}"')
            fields = [d[0] for d in cur.description]
            while batch := cur.fetchmany(100_000):
                cols_ = list(zip(*batch, strict=True))
                t = pa.table({f: pa.array(c) for f, c in zip(fields, cols_, strict=True)})
                rows += t.num_rows
    finally:
        raw.close()
        engine.dispose()
    out["dbapi_s"], out["dbapi_cpu_s"] = time.time() - w0, time.process_time() - c0
    out["dbapi_rows"] = rows
    return out


def _tree(pid: int) -> tuple[int, float]:
    """RSS (bytes) and CPU seconds (user + system) of a process and all its descendants, those
    already reaped included (a process's ``children_*`` times: the gate's forked copy ends
    inside the validate task). RSS is summed, so pages a fork shares are counted twice."""
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0.0
    rss, cpu = 0, 0.0
    for q in procs:
        try:
            rss += q.memory_info().rss
            t = q.cpu_times()
            cpu += t.user + t.system + t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return rss, cpu


def _cpu_between(samples: list[tuple[float, float]], start: float, end: float) -> float:
    """CPU seconds the tree used between two wall-clock moments (from the 50 ms samples)."""
    import bisect

    times = [t for t, _ in samples]

    def at(moment: float) -> float:
        i = bisect.bisect_right(times, moment)
        return samples[max(i - 1, 0)][1] if samples else 0.0

    return max(at(end) - at(start), 0.0)


def prepare_home(home: Path) -> None:
    """An Airflow metadata DB that exists already, as the nightly run finds it."""
    env = home_env(home)
    code = (
        "from annexa.cli import airflow_env, seal_metadata_db\n"
        "from pathlib import Path; import sys\n"
        "airflow_env(Path(sys.argv[1]))\n"
        "from airflow.utils.db import initdb\n"
        "initdb(); seal_metadata_db()\n"
    )
    python = str(Path(ANNEXA).parent / "python")
    subprocess.run([python, "-c", code, str(home)], env=env, check=True, capture_output=True)


def timed(cmd: list[str], env: dict, log: Path) -> dict:
    """Run ``cmd`` in a child process, output to ``log``: exit code, wall and CPU seconds, the
    peak RSS of its process tree (polled every 50 ms) and the tree's CPU samples."""
    peak = 0
    samples: list[tuple[float, float]] = []  # (wall clock, tree CPU seconds)
    cpu0, w0 = _cpu_children(), time.time()
    with open(log, "w") as f:
        proc = subprocess.Popen(cmd, env=env, stdout=f, stderr=subprocess.STDOUT)
        done = threading.Event()

        def poll() -> None:
            nonlocal peak
            while not done.is_set():
                rss, cpu = _tree(proc.pid)
                peak = max(peak, rss)
                if cpu:
                    samples.append((time.time(), cpu))
                time.sleep(0.05)

        th = threading.Thread(target=poll, daemon=True)
        th.start()
        rc = proc.wait()
        done.set()
        th.join()
    wall, cpu = time.time() - w0, _cpu_children() - cpu0
    return {"rc": rc, "wall_s": wall, "cpu_s": cpu, "peak_mb": peak / 2**20, "samples": samples}


def home_env(home: Path) -> dict:
    env = os.environ | {"ANNEXA_HOME": str(home), "GX_ANALYTICS_ENABLED": "false"}
    env.pop("AIRFLOW_HOME", None)
    return env


def run_once(url: str, home: Path, log: Path, as_at: str = AS_AT) -> dict:
    """``annexa run`` in a child process: wall, CPU, peak tree RSS, task durations."""
    cmd = [ANNEXA, "run", "--source", url, "--as-at", as_at, "--out"]
    cmd.append(str(home / "published"))
    r = timed(cmd, home_env(home), log)
    rc, wall, cpu, samples = r["rc"], r["wall_s"], r["cpu_s"], r.pop("samples")
    db = home / "airflow" / "airflow.db"
    con = sqlite3.connect(db)
    try:
        (run_id,) = con.execute(
            "select run_id from dag_run where dag_id = 'annex_a' order by id desc limit 1"
        ).fetchone()
        rows = con.execute(
            "select task_id, duration, state, start_date, end_date from task_instance "
            "where dag_id = 'annex_a' and run_id = ?",
            (run_id,),
        ).fetchall()
        tasks = {}
        for tid, dur, state, start, end in rows:
            cpu_s = float("nan")
            if start and end:
                cpu_s = _cpu_between(samples, _epoch(start), _epoch(end))
            tasks[tid] = (dur or 0.0, state, cpu_s)
    finally:
        con.close()
    return {"rc": rc, "wall_s": wall, "cpu_s": cpu, "peak_mb": r["peak_mb"], "tasks": tasks}


def _epoch(stamp: str) -> float:
    import datetime as dt

    moment = dt.datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def _generate(scale: str, db: Path, faults: bool) -> None:
    cmd = [ANNEXA, "generate", "--url", f"sqlite:///{db}", "--scale", scale]
    cmd += ["--seed", "1", "--as-at", AS_AT] + (["--faults"] if faults else [])
    subprocess.run(cmd, check=True, capture_output=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="small,medium,large")
    p.add_argument("--keep", default=None, help="keep (and reuse) generated CMSs in this folder")
    p.add_argument(
        "--cms",
        action="append",
        default=[],
        metavar="SCALE=PATH_OR_URL",
        help="use this CMS for a scale instead of generating one (repeatable)",
    )
    p.add_argument("--faults", action="store_true", help="generate fault-injected CMSs")
    p.add_argument("--json", default=None, help="also write the figures to this file")
    p.add_argument(
        "--annexa", default=None, help="the annexa command to time (default: this venv's)"
    )
    args = p.parse_args()
    if args.annexa:
        global ANNEXA
        ANNEXA = args.annexa
    given = dict(x.split("=", 1) for x in args.cms)
    tmp = tempfile.TemporaryDirectory(prefix="annexa-e2e-")
    root = Path(args.keep) if args.keep else Path(tmp.name)
    root.mkdir(parents=True, exist_ok=True)
    head = (
        f"{'scale':7} {'src rows':>10} {'floor':>6} {'dbapi':>6} "
        + " ".join(f"{t[:9]:>9}" for t in TASKS)
        + f" {'airflow':>8} {'total':>6} {'cpu':>6} {'÷floor':>7} {'peak MB':>8}  load"
    )
    print("seconds (wall); floor = every source table read once into Arrow (ADBC);")
    print("dbapi = the same through the SQLAlchemy DBAPI driver; airflow = total - tasks")
    print(head, flush=True)
    figures = []
    for scale in args.scales.split(","):
        if scale in given:
            url = _url_of(given[scale])
        else:
            db = root / f"cms_{scale}{'_faults' if args.faults else ''}.db"
            if not db.exists():
                _generate(scale, db, args.faults)
            url = f"sqlite:///{db}"
        fl = floor(url)
        home = Path(tempfile.mkdtemp(prefix=f"home-{scale}-", dir=root))
        prepare_home(home)
        load = os.getloadavg()[0]
        r = run_once(url, home, home / "run.log")
        nan = float("nan")
        tasks = {t: r["tasks"].get(t, (nan, None, nan))[0] for t in TASKS}
        task_cpu = {t: r["tasks"].get(t, (nan, None, nan))[2] for t in TASKS}
        airflow = r["wall_s"] - sum(v for v in tasks.values() if v == v)
        state = "" if r["rc"] == 0 else f"  (exit {r['rc']}: see {home / 'run.log'})"
        print(
            f"{scale:7} {fl['rows']:>10,} {fl['arrow_s']:>6.1f} {fl['dbapi_s']:>6.1f} "
            + " ".join(f"{tasks[t]:>9.1f}" for t in TASKS)
            + f" {airflow:>8.1f} {r['wall_s']:>6.1f} {r['cpu_s']:>6.1f} "
            f"{r['wall_s'] / fl['arrow_s']:>7.1f} {r['peak_mb']:>8.0f}  {load:.1f}{state}",
            flush=True,
        )
        print(
            f"        CPU s: floor {fl['arrow_cpu_s']:.1f} (ADBC), {fl['dbapi_cpu_s']:.1f} "
            f"(DBAPI); tasks "
            + ", ".join(f"{t} {task_cpu[t]:.1f}" for t in TASKS)
            + f"; run {r['cpu_s']:.1f}; run ÷ floor "
            f"{r['cpu_s'] / max(fl['arrow_cpu_s'], 1e-9):.1f}",
            flush=True,
        )
        figures.append({"scale": scale, "floor": fl, "run": r, "load": load})
        if not args.keep:
            import shutil

            shutil.rmtree(home, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str))
    tmp.cleanup()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "include"))
    main()
