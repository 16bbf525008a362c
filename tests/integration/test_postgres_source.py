"""Against the real PostgreSQL server: generate into it, extract from it, run the DAG on it."""

import datetime as dt

import pytest
import sqlalchemy as sa
from conftest import PG_URL

from annexa.source.extract import extract, read_manifest

AS_AT = dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def pg_cms():
    from annexa.source.synthetic import generate

    engine = sa.create_engine(PG_URL)
    try:
        with engine.connect() as c:
            c.execute(sa.text("select 1"))
    except sa.exc.OperationalError as exc:  # CI starts it (scripts/ensure-postgres.sh)
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL}: {exc}")
    counts = generate(PG_URL, scale="small", seed=11, as_at=AS_AT)
    return PG_URL, counts


def test_extract_from_postgres_matches_source_counts(pg_cms, tmp_path):
    url, counts = pg_cms
    snap = extract(url, tmp_path / "snap", chunk_rows=5_000)
    m = read_manifest(snap)
    assert {t: v["rows"] for t, v in m["tables"].items()} == counts
    assert m["source"].startswith("postgresql+psycopg://postgres@127.0.0.1")


def test_dag_run_against_postgres_publishes(pg_cms, airflow_db, tmp_path):
    from annexa.cli import run_dag

    url, _ = pg_cms
    state, result = run_dag(url, AS_AT, tmp_path / "out", la_code="999")
    assert state == "success"
    assert (tmp_path / "out" / "999" / "2026-03-31" / "annex_a_999_2026-03-31.xlsx").is_file()
