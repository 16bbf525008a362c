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
            contacts.append(
                {
                    "cont_contact_id": f"C{i}-{j}",
                    "cont_person_id": f"P{i}",
                    "cont_contact_date": day,
                    "cont_contact_source_code": "6",
                }
            )
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


def test_dag_run_on_the_synthetic_cms_publishes_all_eleven_lists(airflow_db, small_cms, tmp_path):
    """Issue 2/3 'done when': the DAG on a generated small CMS publishes every list, every
    column in the spec's order, with valid codes (validation passed) and nothing unmapped."""
    from annexa import reference

    url, as_at = small_cms
    out = tmp_path / "out"
    state, _ = run_dag(url, as_at, out, la_code="999", la_name="Synthshire")
    assert state == "success"
    folder = out / "999" / as_at.isoformat()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["validation"]["errors"] == 0
    assert manifest["unmapped"] == []
    wb = load_workbook(folder / f"annex_a_999_{as_at}.xlsx", read_only=True)
    assert wb.sheetnames[0] == "Front_Sheet"
    for spec in reference.list_specs("later"):
        ws = wb[spec.sheet]
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][0] == spec.title
        assert list(rows[1]) == spec.headers("ofsted"), spec.sheet
        assert len(rows) - 2 == manifest["row_counts"][str(spec.number)]
        assert len(rows) - 2 > 0, f"{spec.sheet} is empty on the synthetic CMS"
        codes = {
            i: set(reference.code_strings(c.codes, "later"))
            for i, c in enumerate(spec.columns)
            if c.type == "code"
        }
        for row in rows[2:]:
            for i, allowed in codes.items():
                assert row[i] is None or row[i] in allowed, (spec.sheet, i, row[i])
