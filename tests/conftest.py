"""Test settings: a private Airflow home and ANNEXA_HOME, set before anything imports Airflow."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOME = tempfile.mkdtemp(prefix="annexa-test-")
atexit.register(shutil.rmtree, HOME, ignore_errors=True)
os.environ |= {
    "AIRFLOW_HOME": f"{HOME}/airflow",
    "AIRFLOW__CORE__UNIT_TEST_MODE": "True",
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
    "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{HOME}/airflow.db",
    "GX_ANALYTICS_ENABLED": "false",
    "ANNEXA_HOME": f"{HOME}/annexa",
}
os.makedirs(f"{HOME}/airflow", exist_ok=True)
PG_URL = os.environ.get("ANNEXA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

_TIER = {
    "unit": "unit",
    "dags": "dags",
    "integration": "integration",
    "golden": "golden",
    "pack": "golden",
    "returns": "validators",
}  # the pack's indicators are hand-worked golden scenarios too


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test carries the marker of its tier (the folder it lives in)."""
    for item in items:
        tier = Path(str(item.fspath)).relative_to(ROOT / "tests").parts[0]
        if tier in _TIER and not item.get_closest_marker(_TIER[tier]):
            item.add_marker(getattr(pytest.mark, _TIER[tier]))


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"))


@pytest.fixture(scope="session")
def airflow_db():
    """A real (SQLite) Airflow metadata DB, for tests that run DAGs with dag.test()."""
    from airflow.utils.db import initdb

    initdb()


@pytest.fixture(scope="session")
def small_cms(tmp_path_factory) -> tuple[str, object]:
    """A small clean synthetic CMS in SQLite (seed 7, as at 2026-03-31), shared by tests."""
    import datetime as dt

    from annexa.source.synthetic import generate

    as_at = dt.date(2026, 3, 31)
    db = tmp_path_factory.mktemp("cms") / "cms.db"
    url = f"sqlite:///{db}"
    generate(url, scale="small", seed=7, as_at=as_at)
    return url, as_at


sys.path.insert(0, str(ROOT / "tests"))
