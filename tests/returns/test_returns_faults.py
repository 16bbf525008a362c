"""Fault injection for the statutory returns: children with one defect each, added to a CMS of
clean hand-built children (the golden scenario), are named by exactly the DfE rule meant to catch
them, no more and no fewer; at least five distinct rules per return. DfE's errors block
publication (validation.json says so) while the report and worklist name the children."""

import csv
import datetime as dt
import json

import pytest
from golden.cms import make_cms
from golden.test_returns import ROWS

from annexa.returns.build import build_returns
from annexa.returns.check import write_checked
from annexa.returns.faults import fault_rows
from annexa.returns.validators import run
from annexa.source.extract import extract

A = dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def faulted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("returns_faults")
    rows, manifest = fault_rows(A)
    merged = {t: ROWS.get(t, []) + rows.get(t, []) for t in set(ROWS) | set(rows)}
    snap = extract(make_cms(folder / "cms", merged), folder / "snapshot")
    built = build_returns(snap, folder / "out", reference_date=A, la_code="999")
    runs = [
        run("cin", [built.cin_xml], year=2026),
        run("903", list(built.ssda903.values()), year=2026),
    ]
    checked = write_checked(folder / "out", runs, {"la_code": "999", "as_at": A.isoformat()})
    return manifest, {r.kind: r for r in runs}, checked, folder / "out"


def test_each_fault_is_named_by_its_rule_exactly(faulted):
    manifest, runs, _, _ = faulted
    for name, fault in manifest.items():
        named = {i.child_id for i in runs[fault["return"]].issues if i.rule == fault["rule"]}
        assert named == set(fault["children"]), name


def test_five_rules_per_return(faulted):
    manifest = faulted[0]
    for kind in ("cin", "903"):
        assert len({f["rule"] for f in manifest.values() if f["return"] == kind}) >= 5


def test_errors_block_and_the_worklist_names_the_children(faulted):
    manifest, _, checked, folder = faulted
    summary = json.loads((folder / "validation.json").read_text())
    assert summary["published"] is False and summary["errors"] == checked.errors >= 11
    with open(folder / "worklist.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for fault in manifest.values():
        target = "cin_census" if fault["return"] == "cin" else "ssda903"
        rule = f"{target}:{fault['rule']}"
        assert {r["child_id"] for r in rows if r["rule"] == rule} == set(fault["children"])
        assert {r["severity"] for r in rows if r["rule"] == rule} == {"error"}
    assert "ssda903:101" in (folder / "report.html").read_text()
