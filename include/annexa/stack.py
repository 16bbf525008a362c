"""The deployment topology on one machine, without Docker: Airflow's api-server, scheduler,
dag-processor, (triggerer) and a Celery worker as processes, against PostgreSQL (metadata and
Celery results) and Redis (broker), as docker-compose.yaml runs them in containers.

Used by ``make stack`` (``python -m annexa.stack``, in the foreground until Ctrl-C) and by the
stack integration test. Every process starts in its own session and is stopped by its pid's
process group (SIGTERM, then SIGKILL): never by name.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from annexa.core.paths import REPO_ROOT

COMPONENTS = ("api-server", "scheduler", "dag-processor", "celery-worker")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class StackConfig:
    """Where the stack keeps its state and what it talks to."""

    home: Path  # AIRFLOW_HOME: airflow.cfg (shared keys), logs, the UI password file
    metadata_url: str  # postgresql+psycopg://… (Airflow's metadata DB)
    results_url: str  # db+postgresql+psycopg://… (Celery's result backend)
    broker_url: str  # redis://127.0.0.1:6379/N
    port: int = 8080
    dags: Path = REPO_ROOT / "dags"
    plugins: Path = REPO_ROOT / "plugins"
    worker_concurrency: int = 2
    use_job_schedule: bool = True  # False: only triggered runs (the test's)
    triggerer: bool = False
    env: dict[str, str] = field(default_factory=dict)  # ANNEXA_*, AIRFLOW_CONN_* …

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        af = {
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.metadata_url,
            # Airflow would derive postgresql+asyncpg (not in the lock): psycopg 3's async mode
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": self.metadata_url.replace(
                "postgresql+psycopg://", "postgresql+psycopg_async://", 1
            ),
            "AIRFLOW__CELERY__RESULT_BACKEND": self.results_url,
            "AIRFLOW__CELERY__BROKER_URL": self.broker_url,
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(self.worker_concurrency),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(self.plugins),
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__CORE__AUTH_MANAGER": (
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
            ),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(self.passwords_file),
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.url}/execution/",
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": str(self.use_job_schedule),
            # workers call the api-server's execution API for every state change; on a busy
            # machine the default 5 s timeout failed tasks before they started
            "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT": "60",
            # the log servers bind 0.0.0.0:8793/8794 by default: other stacks may hold them
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
            "GX_ANALYTICS_ENABLED": "false",
        }
        path = os.pathsep.join(
            p for p in (str(Path(sys.executable).parent), os.environ.get("PATH", "")) if p
        )
        # nothing of the caller's Airflow settings (a test session's unit-test mode would give
        # each process its own random JWT secret): only the stack's own, plus ``env``
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("AIRFLOW__") and k not in ("AIRFLOW_HOME", "AIRFLOW_CONFIG")
        }
        return {**inherited, **af, **self.env, "PATH": path}

    @property
    def passwords_file(self) -> Path:
        return self.home / "simple_auth_manager_passwords.json"


class Stack:
    """Start, check and stop the processes of one stack."""

    def __init__(self, cfg: StackConfig) -> None:
        self.cfg = cfg
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs = cfg.home / "stack-logs"

    # -- set-up ---------------------------------------------------------------------------
    def prepare(self) -> str:
        """Migrate the metadata DB; fix the admin's password (returned) before the api-server
        would generate one."""
        self.cfg.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.logs.mkdir(exist_ok=True, mode=0o700)
        pw_file = self.cfg.passwords_file
        if pw_file.is_file():
            password = json.loads(pw_file.read_text())["admin"]
        else:
            password = secrets.token_urlsafe(16)
            fd = os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                json.dump({"admin": password}, f)
        self._airflow("db", "migrate", log="migrate")
        return password

    def _airflow(self, *args: str, log: str) -> None:
        with (self.logs / f"{log}.log").open("ab") as out:
            subprocess.run(
                [sys.executable, "-m", "airflow", *args],
                env=self.cfg.environment(),
                stdout=out,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=600,
            )

    # -- processes ------------------------------------------------------------------------
    def start(self) -> None:
        commands = {
            "api-server": ["api-server"],
            "scheduler": ["scheduler"],
            "dag-processor": ["dag-processor"],
            "celery-worker": [
                "celery",
                "worker",
                "--concurrency",
                str(self.cfg.worker_concurrency),
            ],
        }
        if self.cfg.triggerer:
            commands["triggerer"] = ["triggerer"]
        env = self.cfg.environment()
        for name, args in commands.items():
            out = (self.logs / f"{name}.log").open("ab")
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", "airflow", *args],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, led by this pid
            )
            out.close()

    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.procs.items()}

    def alive(self) -> dict[str, bool]:
        return {name: p.poll() is None for name, p in self.procs.items()}

    def stop(self, grace: float = 30.0) -> None:
        """SIGTERM each process group (by its leader's pid), wait, then SIGKILL what is left."""
        for p in self.procs.values():
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.time() + grace
        for p in self.procs.values():
            try:
                p.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                pass
        for p in self.procs.values():
            try:
                os.killpg(p.pid, signal.SIGKILL)  # the group: forked task runners too
            except (ProcessLookupError, PermissionError):
                pass
            if p.poll() is None:
                p.wait(timeout=10)

    # -- HTTP -----------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        token: str | None = None,
        timeout: float = 120,  # generous: on 2 busy cores a first request can take a while
    ) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(
            self.cfg.url + path,
            data=json.dumps(body).encode() if body is not None else None,
            headers=headers,
            method=method,
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def json(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        status, data = self.request(method, path, body, token)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {status}: {data[:300]!r}")
        return json.loads(data)

    def token(self, password: str, username: str = "admin", attempts: int = 3) -> str:
        """A JWT from the api-server's ``/auth/token`` (SimpleAuthManager)."""
        for attempt in range(attempts):
            try:
                doc = self.json("POST", "/auth/token", {"username": username, "password": password})
                return str(doc["access_token"])
            except (OSError, TimeoutError):
                if attempt == attempts - 1:
                    raise
                time.sleep(5)
        raise AssertionError("unreachable")

    def wait_healthy(self, timeout: float = 240) -> dict:
        """Until the api-server answers and the scheduler and dag-processor report healthy."""
        deadline, last = time.time() + timeout, None
        while time.time() < deadline:
            dead = [n for n, ok in self.alive().items() if not ok]
            if dead:
                raise RuntimeError(f"stack process(es) exited: {dead}; see {self.logs}")
            try:
                status, data = self.request("GET", "/api/v2/monitor/health", timeout=5)
                if status == 200:
                    last = json.loads(data)
                    parts = ("metadatabase", "scheduler", "dag_processor")
                    if all((last.get(k) or {}).get("status") == "healthy" for k in parts):
                        return last
            except (OSError, ValueError):
                pass
            time.sleep(2)
        raise TimeoutError(f"stack not healthy after {timeout}s: {last}; see {self.logs}")


def reset_postgres_db(admin_url: str, name: str) -> str:
    """Drop and create database ``name`` on the server of ``admin_url``; its psycopg URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(admin_url)
    with psycopg.connect(
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or "postgres",
        password=u.password,
        dbname=u.database or "postgres",
        autocommit=True,
    ) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    return u.set(database=name, drivername="postgresql+psycopg").render_as_string(
        hide_password=False
    )


def main(argv: list[str] | None = None) -> int:
    """``make stack``: the topology in the foreground, until Ctrl-C."""
    ap = argparse.ArgumentParser(prog="python -m annexa.stack", description=__doc__)
    ap.add_argument(
        "--pg",
        default=os.environ.get("ANNEXA_STACK_PG_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    )
    ap.add_argument("--prefix", default="annexa_stack", help="database name prefix")
    ap.add_argument(
        "--redis", default=os.environ.get("ANNEXA_STACK_REDIS_URL") or "redis://127.0.0.1:6379/0"
    )
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--home", default=os.environ.get("ANNEXA_HOME", str(REPO_ROOT / ".annexa")))
    ap.add_argument("--reset", action="store_true", help="drop and recreate the databases")
    args = ap.parse_args(argv)
    home = Path(args.home).resolve()
    meta, results = f"{args.prefix}_airflow", f"{args.prefix}_celery"
    if args.reset or not (home / "stack" / "airflow.cfg").exists():
        meta_url = reset_postgres_db(args.pg, meta)
        res_url = reset_postgres_db(args.pg, results)
    else:
        from sqlalchemy.engine import make_url

        base = make_url(args.pg).set(drivername="postgresql+psycopg")
        meta_url = base.set(database=meta).render_as_string(hide_password=False)
        res_url = base.set(database=results).render_as_string(hide_password=False)
    cfg = StackConfig(
        home=home / "stack",
        metadata_url=meta_url,
        results_url="db+" + res_url,
        broker_url=args.redis,
        port=args.port,
        triggerer=True,
        env={"ANNEXA_HOME": str(home)},
    )
    stack = Stack(cfg)
    password = stack.prepare()
    stack.start()
    print(f"annexa stack: starting {', '.join(stack.pids())} (pids {stack.pids()})", flush=True)
    try:
        stack.wait_healthy()
        print(
            f"annexa stack: ready on {cfg.url} (user admin, password in {cfg.passwords_file}); "
            f"readiness page {cfg.url}/annexa/readiness; logs in {stack.logs}. Ctrl-C stops it.",
            flush=True,
        )
        del password
        while all(stack.alive().values()):
            time.sleep(2)
        print(f"annexa stack: a process exited: {stack.alive()}", flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    raise SystemExit(main())
