"""The gate through real DAG runs (issue 4.7): a faulted synthetic CMS publishes nothing, keeps
`latest` on the last good return, and reports every injected record under the rule that must
catch it, in the worklist and the HTML report; a waived fault publishes with the waiver in the
manifest."""

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

from annexa.cli import run_dag
from annexa.source.faults import CLASSES, inject

LA = "999"


def _newest_run_folder(as_at) -> Path:
    runs = Path(os.environ["ANNEXA_HOME"]) / "runs" / LA / as_at.isoformat()
    return max(
        (p for p in runs.iterdir() if (p / "validation.json").is_file()),
        key=lambda p: (p / "validation.json").stat().st_mtime,
    )


@pytest.fixture(scope="module")
def faulted_run(airflow_db, small_cms, tmp_path_factory):
    """Publish the clean CMS as at A, then run the same date on a copy with every fault class
    injected (3 records each)."""
    url, as_at = small_cms
    out = tmp_path_factory.mktemp("out")
    state, _ = run_dag(url, as_at, out, la_code=LA)
    assert state == "success"
    good = json.loads((out / LA / "latest" / "manifest.json").read_text())

    db = tmp_path_factory.mktemp("faulted") / "cms.db"
    shutil.copy(url.removeprefix("sqlite:///"), db)
    manifest = inject(f"sqlite:///{db}", as_at, per_class=3, seed=5)
    state, result = run_dag(f"sqlite:///{db}", as_at, out, la_code=LA)
    folder = _newest_run_folder(as_at)
    with (folder / "worklist.csv").open(newline="") as f:
        worklist = list(csv.DictReader(f))
    return {
        "state": state,
        "result": result,
        "out": out,
        "as_at": as_at,
        "good": good,
        "manifest": manifest,
        "folder": folder,
        "worklist": worklist,
        "summary": json.loads((folder / "validation.json").read_text()),
        "report": (folder / "report.html").read_text(),
    }


def test_a_faulted_cms_publishes_nothing_and_latest_stays_on_the_good_return(faulted_run):
    r = faulted_run
    assert r["state"] != "success"
    assert r["summary"]["published"] is False and r["summary"]["errors"] > 0
    for link in ("latest", r["as_at"].isoformat()):  # still the clean run's release
        now = json.loads((r["out"] / LA / link / "manifest.json").read_text())
        assert now["run"] == r["good"]["run"]
    assert r["good"]["validation"]["errors"] == 0


@pytest.mark.parametrize("fault", CLASSES)
def test_each_fault_is_reported_with_exactly_the_injected_records(faulted_run, fault):
    r = faulted_run
    expected = r["manifest"][fault]
    assert expected["injected"] == 3, fault
    rule = next(x for x in r["summary"]["rules"] if x["id"] == expected["rule"])
    assert rule["severity"] == expected["severity"]  # issue 14: wrong blocks, unflattering warns
    assert rule["blocking"] == (expected["severity"] == "error")
    got = {row["record_id"] for row in r["worklist"] if row["rule"] == expected["rule"]}
    assert got == set(expected["ids"])
    assert rule["unexpected_count"] == len(expected["ids"])
    for rid in expected["ids"]:  # the report names every injected record
        assert rid in r["report"]


def test_the_summary_and_report_hold_ids_not_values(faulted_run):
    r = faulted_run
    text = json.dumps(r["summary"])
    assert "2099-01-01" not in text and "1900-01-01" not in r["report"]
    assert any(row["value"] for row in r["worklist"])  # values live only in the worklist


def test_a_waived_fault_publishes_with_the_waiver_in_the_manifest(airflow_db, small_cms, tmp_path):
    url, as_at = small_cms
    db = tmp_path / "cms.db"
    shutil.copy(url.removeprefix("sqlite:///"), db)
    manifest = inject(f"sqlite:///{db}", as_at, per_class=2, seed=3, classes=["birth_after_care"])
    fault = manifest["birth_after_care"]
    assert fault["severity"] == "error"  # a waiver matters where the rule would block
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        f"  - rule: {fault['rule']}\n"
        f"    records: {json.dumps(fault['ids'])}\n"
        "    reason: DOB mistyped, fixed in the CMS on Monday\n"
        "    owner: Duty team manager\n"
        "    expires: 2099-12-31\n"
    )
    out = tmp_path / "out"
    state, result = run_dag(f"sqlite:///{db}", as_at, out, la_code=LA, waivers=str(waivers))
    assert state == "success" and result
    published = json.loads((out / LA / "latest" / "manifest.json").read_text())
    assert published["waivers_applied"] == [
        {
            "rule": fault["rule"],
            "record_ids": sorted(fault["ids"]),
            "reason": "DOB mistyped, fixed in the CMS on Monday",
            "owner": "Duty team manager",
            "expires": "2099-12-31",
        }
    ]
    assert published["validation"]["errors"] == 0
    assert published["validation"]["waived_records"] == len(fault["ids"])
