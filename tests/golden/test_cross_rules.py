"""Cross-list rules on hand-built scenarios (docs/validation.md), run as the gate runs them."""

import datetime as dt

import pytest

from annexa.core.dates import Windows
from annexa.source.extract import extract
from annexa.transform.mapping import load_mapping
from annexa.transform.runner import build
from annexa.validate.gate import GateInputs, _cross
from golden.cms import make_cms, person

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)  # W6 starts 30/12/2025


def _s47(sid, pid, start):
    return {"s47e_s47_enquiry_id": sid, "s47e_person_id": pid, "s47e_s47_start_date": start}


def _icpc(cid, pid, day, s47):
    return {
        "icpc_icpc_id": cid,
        "icpc_person_id": pid,
        "icpc_s47_enquiry_id": s47,
        "icpc_icpc_date": day,
        "icpc_icpc_outcome_cp_flag": "Y",
    }


def _plan(pid_, person_id, start, icpc, ola="N", end=None):
    return {
        "cppl_cp_plan_id": pid_,
        "cppl_person_id": person_id,
        "cppl_icpc_id": icpc,
        "cppl_cp_plan_start_date": start,
        "cppl_cp_plan_end_date": end,
        "cppl_cp_plan_ola": ola,
        "cppl_cp_plan_initial_category": "NEG",
    }


def test_cross_rules(tmp_path):
    rows = {
        "ssd_person": [person(p) for p in ("K1", "K2", "K3", "K4")],
        "ssd_s47_enquiry": [
            _s47("S1", "K1", D(2026, 2, 1)),
            _s47("S2", "K2", D(2026, 2, 1)),
            _s47("S3", "K3", D(2026, 2, 1)),
            _s47("S4", "K4", D(2026, 2, 1)),
        ],
        "ssd_initial_cp_conference": [
            _icpc("I1", "K1", D(2026, 2, 10), "S1"),  # plan on List 7: fine
            _icpc("I2", "K2", D(2026, 2, 10), "S2"),  # no plan at all: flagged
            _icpc("I3", "K3", D(2026, 2, 10), "S3"),  # plan held for another LA (D20): fine
            _icpc("I4", "K4", D(2026, 2, 10), "S4"),  # plan started before the ICPC: flagged
        ],
        "ssd_cp_plans": [
            _plan("C1", "K1", D(2026, 2, 10), "I1"),
            _plan("C3", "K3", D(2026, 2, 10), "I3", ola="Y"),
            _plan("C4", "K4", D(2026, 1, 5), None),
        ],
    }
    snap = extract(make_cms(tmp_path / "cms", rows), tmp_path / "snap")
    w = Windows.for_date(A)
    r = build(snap, tmp_path / "work", w, la_code="999", mapping=load_mapping(None))
    g = GateInputs(
        lists=r.lists,
        checks={},
        windows=w,
        version="later",
        extracted_on=A,
        placeholders=[],
        placeholder_before=D(1901, 1, 1),
        unmapped=[],
        waivers=[],
        today=A,
        cross=r.cross,
    )
    results, items = _cross(g)
    by_rule = {x.id: x for x in results}
    icpc = by_rule["cross:icpc_plan_in_list_7"]
    assert icpc.severity == "error" and icpc.unexpected_count == 2
    assert sorted(i.record_id for i in items if i.rule == icpc.id) == ["S2", "S4"]
    assert by_rule["cross:dob_agrees"].success
    assert by_rule["cross:looked_after_case_status"].success


def test_every_cross_rule_has_its_sql_and_a_known_family():
    from annexa.core.paths import sql_dir
    from annexa.core.registry import queries

    families = ("icpc_plan_in_list_7", "looked_after_case_status", "dob_agrees")
    assert [r.name for r in queries("cross")] == list(families)
    assert sorted(p.stem for p in (sql_dir() / "cross").glob("*.sql")) == sorted(families)
    for r in queries("cross"):
        assert r.severity in ("error", "warning") and r.description and r.path.is_file()
