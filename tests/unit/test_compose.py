"""docker-compose.yaml and Dockerfile, checked statically (no Docker engine on these machines,
issue 9.2): the file parses, every service has a healthcheck, the topology is Airflow 3's with
the CeleryExecutor, the image installs the project from the same uv.lock, the DAG, plugin and
published folders are mounted and the secrets come from .env only."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {
    "postgres",
    "redis",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "airflow-init",
}
AIRFLOW = SERVICES - {"postgres", "redis"}
SECRETS = (
    "POSTGRES_PASSWORD",
    "AIRFLOW__CORE__FERNET_KEY",
    "AIRFLOW__API_AUTH__JWT_SECRET",
    "AIRFLOW__API__SECRET_KEY",
)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yaml").read_text())  # merge keys resolved


def _env(service: dict) -> dict[str, str]:
    return {str(k): str(v) for k, v in (service.get("environment") or {}).items()}


def test_the_topology_is_airflow_3_with_celery(compose):
    services = compose["services"]
    assert set(services) == SERVICES
    assert services["airflow-apiserver"]["command"] == "api-server"
    assert services["airflow-scheduler"]["command"] == "scheduler"
    assert services["airflow-dag-processor"]["command"] == "dag-processor"
    assert services["airflow-triggerer"]["command"] == "triggerer"
    assert services["airflow-worker"]["command"] == "celery worker"
    for name in AIRFLOW:
        env = _env(services[name])
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false", name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:6379/"), name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg://")
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql+psycopg://")
        assert "@postgres/airflow" in env["AIRFLOW__CELERY__RESULT_BACKEND"]
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith(
            "http://airflow-apiserver:8080/"
        )
        assert "_PIP_ADDITIONAL_REQUIREMENTS" not in env, name
        assert services[name]["build"] == "."


def test_every_service_has_a_healthcheck(compose):
    for name, service in compose["services"].items():
        test = (service.get("healthcheck") or {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, name
    api = compose["services"]["airflow-apiserver"]["healthcheck"]["test"]
    assert "/api/v2/monitor/health" in " ".join(api)


def test_services_wait_for_what_they_need(compose):
    services = compose["services"]
    for name in AIRFLOW - {"airflow-init"}:
        deps = services[name]["depends_on"]
        assert deps["postgres"]["condition"] == deps["redis"]["condition"] == "service_healthy"
        assert deps["airflow-init"]["condition"] == "service_completed_successfully", name
    assert services["airflow-worker"]["depends_on"]["airflow-apiserver"]["condition"] == (
        "service_healthy"
    )
    assert _env(services["airflow-init"])["_AIRFLOW_DB_MIGRATE"] == "true"


def test_dags_plugins_and_published_folders_are_mounted(compose):
    for name in AIRFLOW:
        mounts = {
            str(v).split(":")[-2 if str(v).endswith(":ro") else -1]: str(v).split(":")[0]
            for v in compose["services"][name]["volumes"]
        }
        assert mounts["/opt/airflow/dags"] == "./dags", name
        assert mounts["/opt/airflow/plugins"] == "./plugins", name
        assert mounts["/opt/annexa/published"] == "${ANNEXA_PUBLISHED_DIR"  # host folder
        assert mounts["/opt/annexa/home"] == "annexa-home"
        env = _env(compose["services"][name])
        assert env["ANNEXA_OUTPUT_DIR"] == "/opt/annexa/published"
        assert env["ANNEXA_HOME"] == "/opt/annexa/home"
    assert (ROOT / "dags" / "annex_a.py").is_file() and (ROOT / "plugins").is_dir()
    assert set(compose["volumes"]) == {"postgres-db-volume", "annexa-home"}


def test_secrets_come_from_env_without_defaults(compose):
    text = (ROOT / "docker-compose.yaml").read_text()
    for name in SECRETS:  # ${X:?message}: compose refuses to start without it
        assert re.search(r"\$\{" + name + r":\?", text), name
        assert not re.search(r"\$\{" + name + r":-", text), name
    for name in AIRFLOW:
        env = _env(compose["services"][name])
        for key in ("AIRFLOW__CORE__FERNET_KEY", "AIRFLOW__API_AUTH__JWT_SECRET"):
            assert env[key].startswith("${" + key + ":?"), (name, key)
        assert compose["services"][name]["env_file"][0]["path"] == ".env"
    assert "airflow:airflow@" not in text  # no upstream default password
    example = (ROOT / ".env.example").read_text()
    for name in SECRETS:
        assert re.search(rf"^# {name}=CHANGE-ME$", example, re.M), name
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def _lock_version(package: str) -> str:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    return next(p["version"] for p in lock["package"] if p["name"] == package)


def test_the_image_installs_the_same_lock():
    docker = (ROOT / "Dockerfile").read_text()
    steps = re.sub(r"\\\n\s*", " ", docker)  # join continued lines
    assert re.search(r"^ARG AIRFLOW_VERSION=(\S+)$", docker, re.M)[1] == _lock_version(
        "apache-airflow"
    )
    py = re.search(r"^ARG PYTHON_VERSION=(\S+)$", docker, re.M)[1]
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert f">={py}" in requires
    assert "FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}" in docker
    assert "COPY --chown=airflow:0 pyproject.toml uv.lock" in docker
    assert re.search(r"uv export --frozen --no-dev --no-emit-project", steps)
    assert re.search(r"pip install \S* ?--no-cache-dir --no-deps --require-hashes -r", steps)
    assert re.search(r"pip install --no-cache-dir --no-deps \. ", steps)
    code = "\n".join(x for x in docker.splitlines() if not x.lstrip().startswith("#"))
    assert "_PIP_ADDITIONAL_REQUIREMENTS" not in code
    uv = re.search(r"^ARG UV_VERSION=(\S+)$", docker, re.M)[1]
    assert f'"uv=={uv}"' in (ROOT / "Makefile").read_text()  # the same uv as make install
    for src in re.findall(r"^COPY --chown=\S+ (.+) \S+$", docker, re.M):
        for part in src.split():
            assert (ROOT / part).exists(), part
    ignored = (ROOT / ".dockerignore").read_text().split()
    for needed in ("uv.lock", "pyproject.toml", "include", "sql", "dags"):
        assert needed not in ignored
    assert "!include/annexa/reference/*.csv" in ignored  # reference CSVs stay in the image


def test_the_lock_has_a_working_celery_executor():
    # provider 3.26 imports celery.backends.database.retry, gone in celery 5.7
    major, minor = map(int, _lock_version("celery").split(".")[:2])
    assert (major, minor) < (5, 7)
    _lock_version("apache-airflow-providers-celery")
    _lock_version("redis")


def test_the_example_registry_is_valid():
    from annexa.las import load_registry

    las = load_registry(ROOT / "config" / "annexa" / "las.example.yaml")
    assert [x.code for x in las] == ["201", "202"]
