"""The deployment topology really run (issue 9.5): Airflow's scheduler, dag-processor,
api-server and a Celery worker as processes (annexa.stack, as `make stack` runs them) against
the local PostgreSQL (metadata and Celery results, databases of their own) and Redis (broker).
Three synthetic LAs are registered, one generated with `annexa generate --faults`; annex_a is
triggered through the REST API with a JWT from /auth/token; the two clean LAs publish through
the Celery worker and the faulted one fails alone with its report; the readiness plugin's page
and JSON are served by the api-server to an authenticated user only, and a headless Chromium
renders the page. Every process is stopped by its pid (process group) in the fixture's finally.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from cdp import CHROMIUM, run_in_page
from conftest import PG_URL

from annexa.stack import Stack, StackConfig, free_port, reset_postgres_db

AS_AT = "2026-03-31"
CLEAN = ("201", "202")
FAULTY = "203"
RUN_TIMEOUT = 1200  # the run takes 2-4 minutes on 2 quiet cores, far more when they are shared


class _Peak(threading.Thread):
    """Peak resident memory of the stack's process groups (RSS summed, so it overstates shared
    pages), sampled every second."""

    def __init__(self, pgids: set[int]) -> None:
        super().__init__(daemon=True)
        self.pgids, self.peak, self.stopped = pgids, 0, threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stopped.is_set():
            total = 0
            for p in psutil.process_iter(["pid"]):
                try:
                    if os.getpgid(p.pid) in self.pgids:
                        total += p.memory_info().rss
                except (ProcessLookupError, psutil.Error, OSError):
                    continue
            self.peak = max(self.peak, total)
            self.stopped.wait(1.0)


def _redis_url() -> str:
    given = os.environ.get("ANNEXA_TEST_REDIS_URL")
    if given:
        return given
    db = PG_URL.rsplit("/", 1)[-1]  # one Redis database per test database, so runs never mix
    return f"redis://127.0.0.1:6379/{zlib.crc32(db.encode()) % 15 + 1}"


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _screenshot(url: str, token: str | None, png: Path, profile: Path) -> str:
    """Load ``url`` in headless Chromium (with the bearer token as a header when given); save a
    PNG and return the page's visible text (its console errors, e.g. the anonymous 401, are not
    this test's business)."""
    headers = {"Authorization": f"Bearer {token}"} if token else None
    (text,), _errors = run_in_page(
        url, ["document.body.innerText"], profile, headers=headers, screenshot=png
    )
    return str(text or "")


@pytest.fixture(scope="module")
def stack_run(small_cms, tmp_path_factory):
    url, _ = small_cms
    root = tmp_path_factory.mktemp("stack")
    src = Path(url.removeprefix("sqlite:///"))
    env: dict[str, str] = {}
    entries = []
    for code in (*CLEAN, FAULTY):
        db = root / f"cms_{code}.db"
        if code == FAULTY:  # as a user would: the CLI, with every fault class injected
            subprocess.run(
                [
                    str(Path(sys.executable).parent / "annexa"),
                    "generate",
                    "--url",
                    f"sqlite:///{db}",
                    "--scale",
                    "small",
                    "--seed",
                    "3",
                    "--as-at",
                    AS_AT,
                    "--faults",
                ],
                check=True,
                capture_output=True,
                timeout=600,
            )
        else:
            shutil.copy(src, db)
        env[f"AIRFLOW_CONN_CMS_{code}"] = json.dumps(
            {"conn_type": "generic", "extra": {"sqlalchemy_url": f"sqlite:///{db}"}}
        )
        entries.append(f'  - code: "{code}"\n    name: LA {code}\n    connection: cms_{code}\n')
    registry = root / "las.yaml"
    registry.write_text("las:\n" + "".join(entries))
    home, out = root / "annexa", root / "out"

    base = PG_URL.rsplit("/", 1)[-1]
    meta = reset_postgres_db(PG_URL, f"{base}_airflow")
    results = reset_postgres_db(PG_URL, f"{base}_celery")
    broker = _redis_url()
    _flush_redis(broker)
    cfg = StackConfig(
        home=root / "airflow",
        metadata_url=meta,
        results_url="db+" + results,
        broker_url=broker,
        port=free_port(),
        use_job_schedule=False,  # only the triggered run: no nightly run on unpausing
        worker_concurrency=2,
        env=env
        | {
            "ANNEXA_HOME": str(home),
            "ANNEXA_OUTPUT_DIR": str(out),
            "ANNEXA_LAS": str(registry),
            "ANNEXA_MAX_PARALLEL_LAS": "2",
        },
    )
    stack = Stack(cfg)
    r: dict = {"out": out, "home": home, "root": root, "results_url": results}
    t0 = time.time()
    password = stack.prepare()
    stack.start()
    peak = _Peak(set(stack.pids().values()))
    peak.start()
    try:
        stack.wait_healthy(timeout=400)
        r["ready_s"] = time.time() - t0
        token = stack.token(password)
        r["token"] = token
        deadline = time.time() + 300
        while stack.request("GET", "/api/v2/dags/annex_a", token=token)[0] != 200:
            assert time.time() < deadline, "annex_a was not parsed"
            time.sleep(3)
        r["trigger_unauthenticated"] = stack.request(
            "POST", "/api/v2/dags/annex_a/dagRuns", {"logical_date": None}
        )[0]
        stack.json("PATCH", "/api/v2/dags/annex_a", {"is_paused": False}, token)
        t_run = time.time()
        dr = stack.json(
            "POST",
            "/api/v2/dags/annex_a/dagRuns",
            {"logical_date": None, "conf": {"as_at": AS_AT}},
            token,
        )
        run_id = dr["dag_run_id"]
        runs = f"/api/v2/dags/annex_a/dagRuns/{quote(run_id)}"  # the "+" of the time zone
        while True:
            state = stack.json("GET", runs, token=token)["state"]
            if state in ("success", "failed"):
                break
            assert time.time() - t_run < RUN_TIMEOUT, f"run still {state}; see {stack.logs}"
            assert all(stack.alive().values()), f"a process died: {stack.alive()}"
            time.sleep(3)
        r["run_s"] = time.time() - t_run
        r["state"] = state
        r["run_id"] = run_id
        r["tis"] = stack.json("GET", f"{runs}/taskInstances?limit=100", token=token)[
            "task_instances"
        ]
        r["events"] = stack.json(
            "GET",
            f"/api/v2/assets/events?source_dag_id=annex_a&source_run_id={quote(run_id)}",
            None,
            token,
        )["asset_events"]
        r["json_anon"] = stack.request("GET", "/annexa/readiness.json")
        r["json_bad"] = stack.request("GET", "/annexa/readiness.json", token="not-a-jwt")
        r["json"] = stack.request("GET", "/annexa/readiness.json", token=token)
        r["page_anon"] = stack.request("GET", "/annexa/readiness")
        r["page"] = stack.request("GET", "/annexa/readiness", token=token)
        r["files"] = {
            (la, kind): stack.request("GET", f"/annexa/files/{la}/{kind}", token=token)
            for la in (*CLEAN, FAULTY)
            for kind in ("report", "worklist", "workbook", "pack")
        }
        r["file_anon"] = stack.request("GET", f"/annexa/files/{FAULTY}/report")[0]
        r["plugins"] = stack.json("GET", "/api/v2/plugins", token=token)["plugins"]
        if Path(CHROMIUM).exists():
            png = root / "readiness.png"
            r["browser_text"] = _screenshot(
                f"{cfg.url}/annexa/readiness", token, png, root / "chromium-profile"
            )
            r["browser_anon_text"] = _screenshot(
                f"{cfg.url}/annexa/readiness", None, root / "anon.png", root / "chromium-anon"
            )
            r["png"] = png
    finally:
        peak.stopped.set()
        peak.join(timeout=5)
        pids = stack.pids()
        stack.stop()
        r["alive_after_stop"] = {n: _exists(pid) for n, pid in pids.items()}
    r["peak_rss_mb"] = round(peak.peak / 2**20)
    print(
        f"\nstack: healthy after {r['ready_s']:.0f} s; 3-LA run through Celery "
        f"{r['run_s']:.0f} s; peak RSS of all stack processes {r['peak_rss_mb']} MB"
    )
    import sqlalchemy as sa

    engine = sa.create_engine(results)
    with engine.connect() as con:
        r["celery_results"] = con.execute(sa.text("select count(*) from celery_taskmeta")).scalar()
    engine.dispose()
    return r


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _ti(r, task: str, la: str) -> dict:
    index = [*CLEAN, FAULTY].index(la)
    return next(t for t in r["tis"] if t["task_id"] == task and t["map_index"] == index)


def test_the_api_needs_a_token(stack_run):
    assert stack_run["trigger_unauthenticated"] == 401


def test_clean_las_publish_through_celery_and_the_faulted_one_fails_alone(stack_run):
    r = stack_run
    assert r["state"] == "failed"  # one LA failed: the run says so
    for la in CLEAN:
        for task in ("extract", "build", "validate", "publish"):
            assert _ti(r, task, la)["state"] == "success", (la, task)
    assert _ti(r, "validate", FAULTY)["state"] == "failed"
    assert _ti(r, "publish", FAULTY)["state"] == "upstream_failed"
    ran = [t for t in r["tis"] if t["state"] in ("success", "failed")]
    assert len(ran) == 1 + 3 * 3 + 2  # configure, 3 LAs x extract/build/validate, 2 publishes
    assert {t["queue"] for t in ran} == {"default"}  # the Celery queue the worker consumes
    assert r["celery_results"] >= len(ran)  # each task went through Celery (its result rows)
    assert sorted(e["extra"]["la_code"] for e in r["events"]) == list(CLEAN)


def test_latest_of_each_la_is_right(stack_run):
    r = stack_run
    for la in CLEAN:
        latest = r["out"] / la / "latest"
        assert latest.resolve() == (r["out"] / la / AS_AT).resolve()
        manifest = json.loads((latest / "manifest.json").read_text())
        assert (manifest["la_code"], manifest["as_at"]) == (la, AS_AT)
        assert manifest["run"] == re.sub(r"[^A-Za-z0-9_.-]+", "_", r["run_id"])[:120]
        assert manifest["validation"]["errors"] == 0
    assert not (r["out"] / FAULTY).exists()
    (folder,) = (r["home"] / "runs" / FAULTY / AS_AT).iterdir()
    summary = json.loads((folder / "validation.json").read_text())
    assert summary["la_code"] == FAULTY and summary["published"] is False and summary["errors"]
    assert (folder / "report.html").is_file()


def test_the_readiness_json_needs_auth_and_shows_all_three(stack_run):
    r = stack_run
    assert r["json_anon"][0] == 401 and r["json_bad"][0] == 403
    status, body = r["json"]
    assert status == 200
    by = {x["la_code"]: x for x in json.loads(body)["las"]}
    assert set(by) == {*CLEAN, FAULTY}
    for la in CLEAN:
        assert by[la]["latest"]["as_at"] == AS_AT
        assert by[la]["last_run"]["outcome"] == "published"
    bad = by[FAULTY]
    assert bad["latest"] is None
    assert bad["last_run"]["outcome"] == "failed validation" and bad["last_run"]["errors"] > 0
    assert bad["last_run"]["top_rules"] and bad["last_run"]["top_rules"][0]["blocking"]


def test_the_page_and_its_links_are_served_to_authenticated_users(stack_run):
    r = stack_run
    assert r["page_anon"][0] == 401
    status, body = r["page"]
    html = body.decode()
    assert status == 200
    for la in (*CLEAN, FAULTY):
        assert f'id="la-{la}"' in html
    assert "failed validation" in html and "published" in html
    files = r["files"]
    assert files[(FAULTY, "report")][0] == 200 and b"<html" in files[(FAULTY, "report")][1][:500]
    assert files[(FAULTY, "worklist")][0] == 200
    assert files[(FAULTY, "workbook")][0] == 404  # never published
    for la in CLEAN:
        assert files[(la, "workbook")][0] == 200 and files[(la, "workbook")][1][:2] == b"PK"
    assert r["file_anon"] == 401
    (plugin,) = [p for p in r["plugins"] if p["name"] == "annexa_readiness"]
    assert plugin["fastapi_apps"][0]["url_prefix"] == "/annexa"
    assert plugin["external_views"][0]["href"] == "/annexa/readiness"


def test_a_headless_browser_renders_the_page(stack_run):
    r = stack_run
    if "png" not in r:
        pytest.fail("Debian chromium is missing: make services installs it")
    assert r["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and r["png"].stat().st_size > 5000
    text = r["browser_text"]
    assert "Annex A readiness" in text
    for la in (*CLEAN, FAULTY):
        assert f"LA {la}" in text
    assert "Not authenticated" in r["browser_anon_text"]


def test_every_process_was_stopped(stack_run):
    assert stack_run["alive_after_stop"] and not any(stack_run["alive_after_stop"].values())
