"""End to end through Airflow: dag.test() on a CMS database publishes the return."""

import datetime as dt
import json
import os
import stat

from golden.cms import make_cms, person
from openpyxl import load_workbook

from annexa.cli import run_dag

AS_AT = dt.date(2026, 3, 31)  # W6 starts 30/09/2025


def cms_rows() -> dict[str, list[dict]]:
    """Ten children, each with contacts on known dates: 3 inside W6 and 2 outside each."""
    days_in = [dt.date(2025, 9, 30), dt.date(2026, 1, 15), dt.date(2026, 3, 31)]
    days_out = [dt.date(2025, 9, 29), dt.date(2026, 4, 1)]
    contacts = []
    for i in range(10):
        for j, day in enumerate(days_in + days_out):
            contacts.append({"cont_contact_id": f"C{i}-{j}", "cont_person_id": f"P{i}",
                             "cont_contact_date": day, "cont_contact_source_code": "6"})
    return {"ssd_person": [person(f"P{i}") for i in range(10)], "ssd_contacts": contacts}


def test_dag_run_publishes_the_return(airflow_db, tmp_path):
    url = make_cms(tmp_path / "cms", cms_rows())
    out = tmp_path / "out"
    state, result = run_dag(url, AS_AT, out, la_code="999", la_name="Synthshire")
    assert state == "success"
    folder = out / "999" / "2026-03-31"
    book = folder / "annex_a_999_2026-03-31.xlsx"
    assert book.is_file() and (out / "999" / "latest").resolve() == folder.resolve()
    assert stat.S_IMODE(os.stat(book).st_mode) == 0o600
    ws = load_workbook(book, read_only=True)["List_1"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 30  # 10 children x 3 contacts inside W6
    assert {r[5].date() for r in rows} == {dt.date(2025, 9, 30), dt.date(2026, 1, 15), AS_AT}
    assert {r[6] for r in rows} == {"q) 6: Police"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["row_counts"]["1"] == 30
    assert manifest["validation"]["errors"] == 0
    assert manifest["files"]["annex_a_999_2026-03-31.xlsx"]["sha256"]
    csv1 = folder / "annex_a_999_2026-03-31_list_1.csv"
    assert sum(1 for _ in csv1.open()) == 31


def test_failed_validation_publishes_nothing(airflow_db, tmp_path):
    rows = cms_rows()
    rows["ssd_contacts"][0]["cont_contact_source_code"] = "not a source"  # unmapped: blank code
    url = make_cms(tmp_path / "cms", rows)
    out = tmp_path / "out"
    state, _ = run_dag(url, AS_AT, out, la_code="999")
    assert state != "success"
    assert not (out / "999" / "2026-03-31").exists()
