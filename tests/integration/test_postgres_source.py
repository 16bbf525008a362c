"""Against the real PostgreSQL server: write a CMS into it, extract from it, run the DAG on it."""

import datetime as dt

import pytest
import sqlalchemy as sa
from conftest import PG_URL
from dags.test_annex_a_run import AS_AT, cms_rows
from golden.cms import write_cms

from annexa.source.extract import extract, read_manifest


@pytest.fixture(scope="module")
def pg_cms():
    engine = sa.create_engine(PG_URL)
    try:
        with engine.connect() as c:
            c.execute(sa.text("select 1"))
    except sa.exc.OperationalError as exc:  # CI starts it (scripts/ensure-postgres.sh)
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL}: {exc}")
    rows = cms_rows()
    write_cms(PG_URL, rows)
    return PG_URL, rows


def test_extract_from_postgres(pg_cms, tmp_path):
    url, rows = pg_cms
    snap = extract(url, tmp_path / "snap", chunk_rows=7)
    m = read_manifest(snap)
    assert m["tables"]["ssd_contacts"]["rows"] == len(rows["ssd_contacts"])
    assert len(m["tables"]["ssd_contacts"]["files"]) == 8  # 50 rows in chunks of 7
    assert m["tables"]["ssd_person"]["rows"] == 10
    assert m["source"].startswith("postgresql+psycopg://postgres@127.0.0.1")


def test_dag_run_against_postgres_publishes(pg_cms, airflow_db, tmp_path):
    from annexa.cli import run_dag

    url, _ = pg_cms
    state, _ = run_dag(url, AS_AT, tmp_path / "out", la_code="999")
    assert state == "success"
    assert (tmp_path / "out" / "999" / "2026-03-31" / "annex_a_999_2026-03-31.xlsx").is_file()
    assert AS_AT == dt.date(2026, 3, 31)


def test_a_cms_changing_during_the_extract_is_read_as_it_was(pg_cms, tmp_path):
    """Issue 14.2: another session adds and deletes contacts after ssd_person was read; the
    extract's REPEATABLE READ transaction still sees the CMS as it was when it began."""
    import pyarrow.parquet as pq

    from annexa.source.faults import concurrent_change

    url, rows = pg_cms
    callback, entry = concurrent_change(url, AS_AT, per_class=2, seed=1)
    try:
        snap = extract(url, tmp_path / "snap", progress=callback)
        assert entry["outcome"] == "committed" and entry["injected"] == 2
        engine = sa.create_engine(url)
        with engine.connect() as c:
            now = {r[0] for r in c.execute(sa.text("select cont_contact_id from ssd_contacts"))}
        engine.dispose()
        assert set(entry["ids"]) <= now and not set(entry["deleted"]) & now  # it did change
        got = set(pq.read_table(snap / "ssd_contacts").column("cont_contact_id").to_pylist())
        assert got == {r["cont_contact_id"] for r in rows["ssd_contacts"]}
    finally:
        write_cms(url, rows)  # the module's other tests read the CMS as written
