"""End to end through Airflow: dag.test() on a small synthetic CMS publishes the return."""

import datetime as dt
import json
import os
import stat

import sqlalchemy as sa
from openpyxl import load_workbook

from annexa.cli import run_dag
from annexa.dates import Windows


def _contacts_in_w6(url: str, as_at: dt.date) -> int:
    """List 1's row count worked out independently, straight from the CMS tables."""
    w = Windows.for_date(as_at)
    with sa.create_engine(url).connect() as c:
        return c.execute(sa.text(
            "select count(*) from ssd_contacts c join ssd_person p "
            "on p.pers_person_id = c.cont_person_id "
            "where c.cont_contact_date between :s and :a"),
            {"s": w.w6_start, "a": as_at}).scalar_one()


def test_dag_run_publishes_the_return(small_cms, airflow_db, tmp_path):
    url, as_at = small_cms
    out = tmp_path / "out"
    state, result = run_dag(url, as_at, out, la_code="999", la_name="Synthshire")
    assert state == "success"
    folder = out / "999" / "2026-03-31"
    book = folder / "annex_a_999_2026-03-31.xlsx"
    assert book.is_file() and (out / "999" / "latest").resolve() == folder.resolve()
    assert stat.S_IMODE(os.stat(book).st_mode) == 0o600
    expected = _contacts_in_w6(url, as_at)
    assert expected > 1000  # a small unitary receives ~6,000 contacts a year
    ws = load_workbook(book, read_only=True)["List_1"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == expected
    first_dates = {r[5].date() for r in rows}
    assert min(first_dates) >= Windows.for_date(as_at).w6_start and max(first_dates) <= as_at
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["row_counts"]["1"] == expected
    assert manifest["validation"]["errors"] == 0
    assert manifest["files"]["annex_a_999_2026-03-31.xlsx"]["sha256"]
    assert "password" not in json.dumps(manifest)
    csv1 = folder / "annex_a_999_2026-03-31_list_1.csv"
    assert sum(1 for _ in csv1.open()) == expected + 1
