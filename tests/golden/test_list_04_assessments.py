"""Golden: List 4 Assessments. Expected rows worked out by hand from annex_a.md §3 (§3.10, §3.11),
§5 List 4, D3, D9, D16, D26 and source_contract.md §5.5 and §6.4."""

import datetime as dt

import pytest

from annexa import reference
from golden.cms import build_lists, person, published

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)  # W6 starts 30/12/2025 (annex_a.md §3.1)


def _asmt(aid, pid, start, auth=None, seen="Y", nfa="N", json=None, team=None, worker=None):
    return {
        "cina_assessment_id": aid,
        "cina_person_id": pid,
        "cina_referral_id": "R" + pid,
        "cina_assessment_start_date": start,
        "cina_assessment_auth_date": auth,
        "cina_assessment_child_seen": seen,
        "cina_assessment_outcome_nfa": nfa,
        "cina_assessment_outcome_json": json,
        "cina_assessment_team": team,
        "cina_assessment_worker_id": worker,
    }


ROWS = {
    "ssd_person": [person("P1"), person("P2"), person("P3")],
    "ssd_disability": [
        {"disa_table_id": "D1", "disa_person_id": "P2", "disa_disability_code": "NONE"},
        {"disa_table_id": "D2", "disa_person_id": "P3", "disa_disability_code": "NONE"},
        {"disa_table_id": "D3", "disa_person_id": "P3", "disa_disability_code": "AUT"},
    ],
    "ssd_professionals": [
        {
            "prof_professional_id": "W1",
            "prof_staff_id": "S100",
            "prof_professional_name": "Alice Smith",
        },
        {
            "prof_professional_id": "W2",
            "prof_staff_id": "S200",
            "prof_professional_name": "Bob Jones",
        },
    ],
    "ssd_department": [
        {"dept_team_id": "T1", "dept_team_name": "Assessment Team 1"},
        {"dept_team_id": "T2", "dept_team_name": "Front Door"},
    ],
    "ssd_cin_assessments": [
        _asmt("AS1", "P1", D(2025, 10, 1), D(2025, 12, 29)),  # authorised before W6: out
        _asmt(
            "AS2", "P1", D(2025, 10, 1), D(2025, 12, 30), team="T1", worker="U-77"
        ),  # first day of W6; user id
        _asmt("AS3", "P1", D(2026, 2, 1), seen=None),  # open, nfa N but unauthorised
        _asmt(
            "AS4", "P1", D(2026, 5, 1), D(2026, 7, 5), nfa="Y", team="T1", worker="W1"
        ),  # authorised after A: open
        _asmt("AS5", "P1", D(2026, 7, 1)),  # starts after A: out
        _asmt("AS6", "P1", D(2024, 1, 1), seen="N"),  # long-running, unauthorised
        _asmt(
            "AS7", "P2", D(2026, 3, 1), D(2026, 6, 30), seen="NO", nfa="Y", team="T2", worker="S200"
        ),  # authorised on A; staff id
        _asmt("AS8", "P3", D(2026, 4, 1), D(2026, 5, 1), nfa=None, json='{"NFA_FLAG": "N"}'),
        _asmt("AS9", "P3", D(2026, 4, 2), D(2026, 5, 2), nfa=None),
        _asmt("AS10", "P3", D(2026, 4, 3), D(2026, 5, 3), nfa=None, json="not json"),
    ],
    "ssd_involvements": [
        {
            "invo_involvements_id": "I1",
            "invo_person_id": "P1",
            "invo_professional_id": "W1",
            "invo_professional_team": "T2",
            "invo_professional_role_id": "CW",
            "invo_involvement_start_date": D(2025, 9, 1),
            "invo_involvement_end_date": D(2026, 1, 15),
        },
        {
            "invo_involvements_id": "I2",
            "invo_person_id": "P1",
            "invo_professional_id": "W2",
            "invo_professional_team": "T2",
            "invo_professional_role_id": "CW",
            "invo_involvement_start_date": D(2026, 1, 16),
        },
    ],
}

BASE = {"gender": "b) Female", "ethnicity": "a) WBRI", "date_of_birth": D(2015, 5, 1), "age": 11}
P1 = {"child_unique_id": "P1", **BASE, "disability": "c) Unknown"}
P2 = {"child_unique_id": "P2", **BASE, "disability": "b) No"}
P3 = {"child_unique_id": "P3", **BASE, "disability": "a) Yes"}
YES, NO, UNK = "a) Yes", "b) No", "c) Unknown"


def _row(child, start, seen, auth, support, team, worker):
    return {
        **child,
        "assessment_start_date": start,
        "child_seen_during_assessment": seen,
        "assessment_authorisation_date": auth,
        "requiring_social_care_support": support,
        "allocated_team": team,
        "allocated_worker": worker,
    }


EXPECTED = [
    # long-running unauthorised assessment: in; worker from the CW involvement open at A
    _row(P1, D(2024, 1, 1), NO, None, None, "Front Door", "Bob Jones"),
    # user id joins no worker: CW involvement open on the authorisation date (I1, not I2)
    _row(P1, D(2025, 10, 1), YES, D(2025, 12, 30), YES, "Assessment Team 1", "Alice Smith"),
    # not authorised: seen not recorded -> c) Unknown; support blank although NFA N is recorded
    _row(P1, D(2026, 2, 1), UNK, None, None, "Front Door", "Bob Jones"),
    # authorised after A: authorisation and support blank (D3)
    _row(P1, D(2026, 5, 1), YES, None, None, "Assessment Team 1", "Alice Smith"),
    # authorised on A; NFA Y -> b) No; worker by staff id (default order)
    _row(P2, D(2026, 3, 1), NO, D(2026, 6, 30), NO, "Front Door", "Bob Jones"),
    # NFA from the outcome JSON; then no outcome at all; then unreadable JSON -> blank
    _row(P3, D(2026, 4, 1), YES, D(2026, 5, 1), YES, None, None),
    _row(P3, D(2026, 4, 2), YES, D(2026, 5, 2), None, None, None),
    _row(P3, D(2026, 4, 3), YES, D(2026, 5, 3), None, None, None),
]


def test_list_4_rows_window_support_and_workers(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={4})[4]
    assert [published(r) for r in rows] == EXPECTED
    assert [r["_record_id"] for r in rows] == [
        "AS6",
        "AS2",
        "AS3",
        "AS4",
        "AS7",
        "AS8",
        "AS9",
        "AS10",
    ]


def test_list_4_earlier_as_at_date(tmp_path):
    # As at 31/12/2025 (W6 from 30/06/2025): AS1 and AS2 authorised in W6; AS3, AS4, AS7-AS10
    # start after A; AS6 open. The involvement open on 31/12/2025 is I1 (Alice Smith).
    rows = build_lists(tmp_path, ROWS, D(2025, 12, 31), lists={4})[4]
    assert [
        (r["_record_id"], r["assessment_authorisation_date"], r["allocated_worker"]) for r in rows
    ] == [
        ("AS6", None, "Alice Smith"),
        ("AS1", D(2025, 12, 29), "Alice Smith"),
        ("AS2", D(2025, 12, 30), "Alice Smith"),
    ]


def test_list_4_columns_in_order_then_hidden(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={4})[4]
    keys = list(rows[0])
    assert [k for k in keys if not k.startswith("_")] == [
        c.key for c in reference.list_spec(4).columns
    ]
    assert keys[: len(reference.list_spec(4).columns) + 2][-2:] == ["_record_id", "_person_id"]
    assert len({r["_record_id"] for r in rows}) == len(rows)
