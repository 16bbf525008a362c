"""Crash safety, measured (issue 14.3): SIGKILL real ``extract``, ``build`` and ``publish``
processes at random moments and check what a reader would see after each kill.

Each iteration starts a fresh Python process that runs one pipeline step (the same function the
DAG task calls) on a prepared run, waits until it says it is ready (imports done), then kills it
with SIGKILL after a delay drawn uniformly over that step's measured duration. After every kill:

* ``latest`` and every date under ``<out>/<la>/`` resolve to a complete release whose
  ``manifest.json`` lists exactly the files present, each with its SHA-256 and size;
* no snapshot folder that is not complete (manifest and checksums) exists where a build reads;
* the next run of the step succeeds (publish: in this process, then the same checks).

Used by ``bench/bench_crash.py`` (≥ 200 kills, figures printed) and the slow test
``tests/integration/test_crash_safety.py`` (a bounded sample). ``disk_full`` publishes into a
small tmpfs (a private mount namespace, ``unshare``) or, where that is not allowed, through a
writer that fails with ENOSPC part-way; ``concurrent`` runs two publishers for one LA at once.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

LA = "999"
AS_AT = dt.date(2026, 3, 31)
STEPS = ("extract", "build", "publish")


@dataclass
class Prepared:
    """A run ready for each step: its config, the CMS and what each step returned."""

    folder: Path
    source: str
    cfg: dict
    extract: dict
    build: dict
    validation: dict
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {
                "folder": str(self.folder),
                "source": self.source,
                "cfg": self.cfg,
                "extract": self.extract,
                "build": self.build,
                "validation": self.validation,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Prepared:
        d = json.loads(text)
        return cls(Path(d.pop("folder")), **d)


def _env(folder: Path) -> dict[str, str]:
    return {"ANNEXA_HOME": str(folder / "home"), "ANNEXA_OUTPUT_DIR": str(folder / "out")}


def _cfg(folder: Path, as_at: dt.date, run_key: str) -> dict:
    from annexa.pipeline import RunConfig

    return RunConfig(
        as_at=as_at.isoformat(),
        la_code=LA,
        la_name="Synthshire",
        version="later",
        layout="ofsted",
        out_dir=str(folder / "out"),
        source_conn_id="annexa_cms",
        mapping=None,
        run_key=run_key,
    ).to_dict()


def prepare(
    folder: Path, *, scale: str = "small", seed: int = 3, cms: Path | None = None
) -> Prepared:
    """Generate a CMS (or copy the SQLite file ``cms``), extract, build and publish it once (the
    good return every check compares against); the validation gate is not what is measured
    here, so its result is the clean one a passing run hands to publish."""
    from annexa.pipeline import build_step, extract_step, publish_step
    from annexa.source.synthetic import generate

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.update(_env(folder))
    source = f"sqlite:///{folder / 'cms.db'}"
    t = {}
    t0 = time.time()
    if cms is not None and not (folder / "cms.db").exists():
        shutil.copy(cms, folder / "cms.db")
    if not (folder / "cms.db").exists():
        generate(source, scale=scale, seed=seed, as_at=AS_AT)
    t["generate"] = time.time() - t0
    cfg = _cfg(folder, AS_AT, "prepared")
    t0 = time.time()
    ext = extract_step(cfg, source, progress=lambda _m: None)
    t["extract"] = time.time() - t0
    t0 = time.time()
    bld = build_step(cfg, ext["snapshot"], progress=lambda _m: None)
    t["build"] = time.time() - t0
    validation = {"errors": 0, "warnings": 0, "waived_records": 0, "failing_rules": {}}
    t0 = time.time()
    publish_step(cfg, bld, validation, ext)
    t["publish"] = time.time() - t0
    prepared = Prepared(folder, source, cfg, ext, bld, validation, t)
    (folder / "prepared.json").write_text(prepared.to_json())
    return prepared


# checks -------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def release_problems(folder: Path) -> list[str]:
    """What is wrong with a published release folder (empty when complete and verified)."""
    manifest = folder / "manifest.json"
    try:
        m = json.loads(manifest.read_text())
    except (OSError, ValueError) as exc:
        return [f"{folder.name}: no readable manifest ({type(exc).__name__})"]
    problems = []
    present = {p.name for p in folder.iterdir()} - {"manifest.json"}
    if present != set(m.get("files", {})):
        problems.append(f"{folder.name}: files differ from the manifest")
    for name, info in m.get("files", {}).items():
        p = folder / name
        if not p.is_file() or p.stat().st_size != info["bytes"] or _sha256(p) != info["sha256"]:
            problems.append(f"{folder.name}: {name} does not match its checksum")
    return problems


def published_problems(out: Path, la: str = LA) -> list[str]:
    """Every date and ``latest`` resolve to complete, verified releases; nothing else is
    visible under the LA folder but hidden entries (``.releases``, ``.lock``)."""
    la_dir = Path(out) / la
    latest = la_dir / "latest"
    problems = []
    if not latest.is_symlink() or not latest.resolve().is_dir():
        return ["latest does not resolve to a release"]
    for entry in sorted(la_dir.iterdir()):
        if entry.name.startswith(".") or entry.name == "packs":
            continue
        if not entry.is_symlink():
            problems.append(f"{entry.name} is not a published symlink")
            continue
        target = entry.resolve()
        if not target.is_dir():
            problems.append(f"{entry.name} points at nothing")
            continue
        problems += release_problems(target)
        if entry.name != "latest":
            m = json.loads((target / "manifest.json").read_text())
            if m.get("as_at") != entry.name:
                problems.append(f"{entry.name} shows the return as at {m.get('as_at')}")
    dates = [e.name for e in la_dir.iterdir() if e.is_symlink() and e.name != "latest"]
    if dates and latest.resolve() != (la_dir / max(dates)).resolve():
        problems.append("latest is not the newest as-at date")
    return problems


def snapshot_problems(snapshot: Path) -> list[str]:
    """A snapshot folder is either absent or complete (manifest and every checksum)."""
    from annexa.source.extract import ExtractError, verify_snapshot

    if not Path(snapshot).exists():
        return []
    try:
        verify_snapshot(Path(snapshot))
    except (ExtractError, OSError) as exc:
        return [f"snapshot {Path(snapshot).name} is visible but not complete: {exc}"]
    return []


# the worker: one step in its own process ----------------------------------------------------


def _worker(step: str, prepared_json: str, as_at: str, run_key: str) -> int:
    from annexa import pipeline

    p = Prepared.from_json(prepared_json)
    cfg = _cfg(p.folder, dt.date.fromisoformat(as_at), run_key)
    import duckdb  # noqa: F401 - imports first, so a kill lands in the work
    import pyarrow.parquet  # noqa: F401
    import sqlalchemy  # noqa: F401

    print("ready", flush=True)
    if step == "extract":
        pipeline.extract_step(cfg, p.source, progress=lambda _m: None)
    elif step == "build":
        pipeline.build_step(cfg, p.extract["snapshot"], progress=lambda _m: None)
    elif step == "publish":
        pipeline.publish_step(cfg, p.build, p.validation, p.extract)
    print("done", flush=True)
    return 0


def _spawn(p: Prepared, step: str, as_at: dt.date, run_key: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "annexa.crashtest", "worker", step, as_at.isoformat(), run_key],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **_env(p.folder)},
        text=True,
    )


def _start(p: Prepared, step: str, as_at: dt.date, run_key: str) -> tuple[subprocess.Popen, float]:
    proc = _spawn(p, step, as_at, run_key)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(p.to_json() + "\n")
    proc.stdin.close()
    line = proc.stdout.readline().strip()
    if line != "ready":
        proc.kill()
        raise RuntimeError(f"{step} worker did not start (said {line!r})")
    return proc, time.monotonic()


def calibrate(p: Prepared, step: str) -> float:
    """Seconds a step takes from ready to done (one unkilled run)."""
    proc, t0 = _start(p, step, AS_AT, f"calibrate_{step}")
    out = proc.stdout.read() if proc.stdout else ""
    proc.wait()
    if proc.returncode != 0 or "done" not in out:
        raise RuntimeError(f"{step} failed without a kill (exit {proc.returncode})")
    return time.monotonic() - t0


@dataclass
class Figures:
    iterations: Counter = field(default_factory=Counter)  # per step
    killed: Counter = field(default_factory=Counter)  # the kill landed while it ran
    recovered: Counter = field(default_factory=Counter)  # next runs checked
    finished_first: Counter = field(default_factory=Counter)
    bad_after_kill: list[str] = field(default_factory=list)
    recovery_failures: list[str] = field(default_factory=list)
    leftovers: int = 0  # hidden release folders a kill left, collected by the next publish
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "iterations": dict(self.iterations),
            "killed_while_running": dict(self.killed),
            "finished_before_the_kill": dict(self.finished_first),
            "next_runs_checked": dict(self.recovered),
            "partial_or_unverified_after_kill": len(self.bad_after_kill),
            "recovery_failures": len(self.recovery_failures),
            "problems": (self.bad_after_kill + self.recovery_failures)[:20],
            "hidden_leftovers_collected": self.leftovers,
            "step_seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def campaign(
    p: Prepared,
    kills: dict[str, int],
    *,
    seed: int = 14,
    recover_every: int = 1,
    say=None,
) -> Figures:
    """Kill each step ``kills[step]`` times at random moments; check what is published after
    every kill, and that the next run succeeds after every ``recover_every``-th kill of a step
    (and its last)."""
    from annexa.pipeline import RunConfig, build_step, extract_step, publish_step

    rng = random.Random(seed)
    fig = Figures()
    out = p.folder / "out"
    for step in STEPS:
        if kills.get(step):
            fig.seconds[step] = calibrate(p, step)
            if say:
                say(f"{step}: {fig.seconds[step]:.1f} s from ready to done")
    dates = [AS_AT, AS_AT + dt.timedelta(days=1), AS_AT + dt.timedelta(days=2)]
    for step in STEPS:
        for i in range(kills.get(step, 0)):
            fig.iterations[step] += 1
            as_at = rng.choice(dates) if step == "publish" else AS_AT
            # a retry of one run (same key) as often as a new run
            run_key = rng.choice([f"{step}_retry", f"{step}_{i}"])
            proc, t0 = _start(p, step, as_at, run_key)
            delay = rng.uniform(0, fig.seconds[step] * 1.05)
            while time.monotonic() - t0 < delay and proc.poll() is None:
                time.sleep(0.002)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                fig.killed[step] += 1
            else:  # done before the kill: aim within its real duration from now on (a busy
                # machine makes the calibration run slower than later ones)
                fig.finished_first[step] += 1
                fig.seconds[step] = min(fig.seconds[step], time.monotonic() - t0)
            proc.wait()
            if proc.stdout:
                proc.stdout.close()
            cfg = _cfg(p.folder, as_at, run_key)
            problems = published_problems(out)
            if step == "extract":
                problems += snapshot_problems(RunConfig(**cfg).snapshot_dir())
            fig.bad_after_kill += [f"{step} #{i}: {x}" for x in problems]
            if say and (i + 1) % 10 == 0:
                say(
                    f"{step}: {i + 1} kills ({fig.killed[step]} while running), "
                    f"{len(fig.bad_after_kill)} bad, {len(fig.recovery_failures)} failed next runs"
                )
            if (i + 1) % recover_every and i + 1 < kills[step]:
                continue
            fig.recovered[step] += 1
            releases = out / LA / ".releases"
            live = {e.resolve() for e in (out / LA).iterdir() if e.is_symlink()}
            # hidden leftovers of the killed run (a half-written release): never visible
            fig.leftovers += len(set(releases.iterdir()) - live) if releases.is_dir() else 0
            try:  # the next run succeeds (in this process)
                if step == "extract":
                    snap = extract_step(cfg, p.source, progress=lambda _m: None)["snapshot"]
                    problems = snapshot_problems(Path(snap))
                    shutil.rmtree(snap)  # keep the disk small; the prepared one stays
                elif step == "build":
                    build_step(cfg, p.extract["snapshot"], progress=lambda _m: None)
                    problems = []
                else:
                    publish_step(
                        _cfg(p.folder, as_at, f"next_{i}"), p.build, p.validation, p.extract
                    )
                    problems = published_problems(out)
                    live = {e.resolve() for e in (out / LA).iterdir() if e.is_symlink()}
                    if set(releases.iterdir()) - live:
                        problems.append("a release folder no date points at was not collected")
            except Exception as exc:  # noqa: BLE001 - any failure of the next run is counted
                problems = [f"{type(exc).__name__}: {exc}"[:200]]
            fig.recovery_failures += [f"{step} #{i} next run: {x}" for x in problems]
    return fig


# disk full and concurrency --------------------------------------------------------------------


def _filler(folder: Path, keep_free: int) -> None:
    """Fill the filesystem of ``folder`` until only about ``keep_free`` bytes are left."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with open(folder / ".filler", "wb") as f:
        try:
            f.write(b"\0" * max(0, free - keep_free))
        except OSError:
            pass


def disk_full_worker(prepared_json: str, mount: str | None) -> dict:
    """Publish into a full filesystem; returns what happened (JSON-able). With ``mount``, the
    output folder is a small tmpfs (only in a private mount namespace: the caller runs this
    under ``unshare -rm``); else the release writer fails with ENOSPC after its first file."""
    from annexa.pipeline import publish_step
    from annexa.publish import publisher

    p = Prepared.from_json(prepared_json)
    out = Path(mount) if mount else p.folder / "out_enospc"
    if mount:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", mount], check=True
        )
    out.mkdir(parents=True, exist_ok=True)
    first = _cfg(p.folder, AS_AT, "good") | {"out_dir": str(out)}
    publish_step(first, p.build, p.validation, p.extract)
    before = {x: _sha256(x) for x in (out / LA / "latest").resolve().iterdir()}
    mode = "tmpfs"
    if mount:
        _filler(out, keep_free=64 * 1024)
    else:
        mode = "injected"
        real = publisher.publish

        def publish_failing(out_root, la_code, as_at, run_key, write, **kw):
            def write_then_full(folder: Path) -> None:
                (folder / "first.part").write_bytes(b"x" * 1000)
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "second"))

            return real(out_root, la_code, as_at, run_key, write_then_full, **kw)

        publisher.publish = publish_failing
    second = _cfg(p.folder, AS_AT, "full") | {"out_dir": str(out)}
    result: dict = {"mode": mode}
    try:
        publish_step(second, p.build, p.validation, p.extract)
        result["error"] = None
    except Exception as exc:  # noqa: BLE001 - what the caller sees is the measurement
        result["error_type"] = type(exc).__name__
        result["error"] = str(exc)
        result["errno"] = getattr(exc.__cause__, "errno", getattr(exc, "errno", None))
    latest = (out / LA / "latest").resolve()
    after = {x: _sha256(x) for x in latest.iterdir()} if latest.is_dir() else {}
    result["old_return_intact"] = after == before
    result["problems"] = published_problems(out)
    releases = out / LA / ".releases"
    result["releases_left"] = (
        sorted(x.name for x in releases.iterdir()) if releases.is_dir() else []
    )
    (out / ".filler").unlink(missing_ok=True)
    return result


def disk_full(p: Prepared) -> dict:
    """Run ``disk_full_worker`` in a private mount namespace with a 4 MB tmpfs if the system
    allows it, else with injected ENOSPC; returns its result."""
    mount = p.folder / "tmpfs"
    mount.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "annexa.crashtest", "disk-full"]
    env = {**os.environ, **_env(p.folder)}
    if shutil.which("unshare"):
        r = subprocess.run(
            ["unshare", "-rm", *cmd, str(mount)],
            input=p.to_json(),
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        if r.returncode == 0 and r.stdout.strip():
            return json.loads(r.stdout.strip().splitlines()[-1])
    r = subprocess.run(
        cmd, input=p.to_json(), capture_output=True, text=True, env=env, timeout=300, check=True
    )
    return json.loads(r.stdout.strip().splitlines()[-1])


def concurrent(p: Prepared, runs: int = 2, *, hold: float = 0.5) -> dict:
    """Start ``runs`` publishers for one LA at once, each holding its release open for ``hold``
    seconds while writing; returns their critical sections (start, end) and the final checks."""
    out = p.folder / "out_concurrent"
    log = p.folder / "concurrent.log"
    log.unlink(missing_ok=True)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "annexa.crashtest",
                "slow-publish",
                str(out),
                str(log),
                f"run_{k}",
                str(hold),
            ],
            stdin=subprocess.PIPE,
            text=True,
            env={**os.environ, **_env(p.folder)},
        )
        for k in range(runs)
    ]
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(p.to_json())
        proc.stdin.close()
    codes = [proc.wait(timeout=300) for proc in procs]
    spans = [json.loads(line) for line in log.read_text().splitlines()]
    return {"exit_codes": codes, "spans": spans, "problems": published_problems(out)}


def _slow_publish(prepared_json: str, out: str, log: str, run_key: str, hold: float) -> int:
    from annexa.pipeline import publish_step
    from annexa.publish import publisher

    p = Prepared.from_json(prepared_json)
    real = publisher.publish

    def publish_slowly(out_root, la_code, as_at, key, write, **kw):
        def write_slowly(folder: Path) -> None:
            start = time.time()
            write(folder)
            time.sleep(hold)  # inside the lock: another run must wait for this one
            span = {"run": run_key, "start": start, "end": time.time()}
            with open(log, "a") as f:
                f.write(json.dumps(span) + "\n")

        return real(out_root, la_code, as_at, key, write_slowly, **kw)

    publisher.publish = publish_slowly  # type: ignore[assignment]
    cfg = _cfg(p.folder, AS_AT, run_key) | {"out_dir": out}
    publish_step(cfg, p.build, p.validation, p.extract)
    return 0


def main(argv: list[str]) -> int:
    from annexa.core.files import owner_only

    owner_only()
    cmd = argv[0]
    if cmd == "worker":
        return _worker(argv[1], sys.stdin.readline(), argv[2], argv[3])
    if cmd == "disk-full":
        print(json.dumps(disk_full_worker(sys.stdin.read(), argv[1] if len(argv) > 1 else None)))
        return 0
    if cmd == "slow-publish":
        return _slow_publish(sys.stdin.read(), argv[1], argv[2], argv[3], float(argv[4]))
    raise SystemExit(f"unknown command {cmd!r}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
