"""Golden: List 5 Section 47 enquiries and ICPCs. Expected rows worked out by hand from
annex_a.md §3 (§3.10, §3.12 incl. Ofsted's examples (a)(b)(c)), §5 List 5, D3, D17, D26 and
source_contract.md §5.6 and §6.4."""

import datetime as dt

import pytest

from annexa import reference
from golden.cms import build_lists, person, published

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)  # W6 starts 30/12/2025 (annex_a.md §3.1)


def _s47(sid, pid, start, end=None, nfa=None, json=None, team=None, worker=None):
    return {
        "s47e_s47_enquiry_id": sid,
        "s47e_person_id": pid,
        "s47e_referral_id": "R" + pid,
        "s47e_s47_start_date": start,
        "s47e_s47_end_date": end,
        "s47e_s47_nfa": nfa,
        "s47e_s47_outcome_json": json,
        "s47e_s47_completed_by_team": team,
        "s47e_s47_completed_by_worker_id": worker,
    }


def _icpc(cid, pid, day, s47=None, cp=None, plan=None, json=None):
    return {
        "icpc_icpc_id": cid,
        "icpc_person_id": pid,
        "icpc_s47_enquiry_id": s47,
        "icpc_icpc_date": day,
        "icpc_icpc_outcome_cp_flag": cp,
        "icpc_cp_plan_id": plan,
        "icpc_icpc_outcome_json": json,
    }


CONF_N, CONF_Y = '{"CP_CONFERENCE_FLAG": "N"}', '{"CP_CONFERENCE_FLAG": "Y"}'

ROWS = {
    "ssd_person": [person("P1"), person("P2"), person("P3"), person("P4")],
    "ssd_professionals": [
        {
            "prof_professional_id": "W1",
            "prof_staff_id": "S100",
            "prof_professional_name": "Alice Smith",
            "prof_professional_department": "Children's Services",
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
    "ssd_involvements": [
        {
            "invo_involvements_id": "I1",
            "invo_person_id": "P2",
            "invo_professional_id": "W2",
            "invo_professional_team": "T2",
            "invo_professional_role_id": "CW",
            "invo_involvement_start_date": D(2025, 1, 1),
        },
    ],
    "ssd_s47_enquiry": [
        # (a) current S47, no ICPC, no earlier S47
        _s47("S1", "P1", D(2026, 5, 1), team="T1", worker="S100"),
        # (b) current S47 without ICPC, one five months earlier with an ICPC
        _s47("S2", "P2", D(2026, 1, 10), D(2026, 1, 30), nfa="N", json=CONF_Y),
        _s47("S3", "P2", D(2026, 6, 10)),
        # (c) current S47 with an ICPC, one eleven months earlier with an ICPC
        _s47("S4", "P3", D(2025, 7, 15), D(2025, 8, 20), nfa="N", worker="W1"),
        _s47("S5", "P3", D(2026, 6, 15), nfa="N", worker="W1"),
        # D17 cases and window edges
        _s47("S6", "P4", D(2025, 11, 1), D(2025, 12, 29), nfa="Y"),  # ended before W6: out
        _s47("S7", "P4", D(2025, 11, 1), D(2025, 12, 30), nfa="Y"),  # W6 first day; NFA
        _s47("S8", "P4", D(2026, 2, 1), D(2026, 2, 20), nfa="N", json=CONF_N),
        _s47("S9", "P4", D(2026, 3, 1), D(2026, 3, 20), nfa="N", json=CONF_Y),
        _s47("S10", "P4", D(2026, 4, 1), D(2026, 7, 10), nfa="Y", json=CONF_N),  # ends after A
        _s47("S11", "P4", D(2026, 4, 2), D(2026, 7, 10), nfa="N", json=CONF_Y),  # ends after A
        _s47("S12", "P4", D(2026, 5, 1), D(2026, 5, 20), nfa="N"),  # ended, outcome unknown
        _s47("S14", "P4", D(2026, 5, 2), D(2026, 5, 15), nfa="N"),
        _s47("S15", "P4", D(2026, 5, 3), D(2026, 5, 12), nfa="N"),
        _s47("S13", "P4", D(2026, 7, 1)),  # starts after A: out
    ],
    "ssd_initial_cp_conference": [
        _icpc("C1", "P2", D(2026, 1, 28), "S2", cp="Y", plan="CP1"),
        _icpc("C2", "P3", D(2025, 8, 10), "S4", cp="N"),
        _icpc("C3", "P3", D(2026, 6, 29), "S5", cp="N"),
        _icpc("C4", "P4", D(2026, 7, 5), "S9", cp="Y"),  # after A: not linked
        _icpc("C5", "P4", D(2026, 5, 20), "S14", plan="CPX"),  # flag missing, plan set
        _icpc("C6", "P4", D(2026, 5, 25), "S14", cp="N"),  # later ICPC: not shown
        _icpc("C7", "P4", D(2026, 5, 15), "S15", json='{"CP_FLAG": "N"}'),
        _icpc("C8", "P4", D(2025, 5, 3)),  # transfer-in, L - 12 months: counted
        _icpc("C9", "P4", D(2025, 5, 2)),  # the day before: not counted
        _icpc("C10", "P4", D(2026, 5, 3)),  # on L: not "before L", not counted
    ],
    "ssd_cp_plans": [
        {
            "cppl_cp_plan_id": "CP0",
            "cppl_person_id": "P1",
            "cppl_cp_plan_start_date": D(2025, 1, 1),
            "cppl_cp_plan_end_date": D(2026, 5, 1),
        },
        {
            "cppl_cp_plan_id": "CP1",
            "cppl_person_id": "P2",
            "cppl_cp_plan_start_date": D(2026, 1, 28),
        },
    ],
}

CHILD = {
    "gender": "b) Female",
    "ethnicity": "a) WBRI",
    "date_of_birth": D(2015, 5, 1),
    "age": 11,
    "disability": "c) Unknown",
}
YES, NO = "a) Yes", "b) No"


def _row(pid, start, unnecessary, icpc, result, n_s47, n_icpc, team=None, worker=None):
    return {
        "child_unique_id": pid,
        **CHILD,
        "s47_start_date": start,
        "icpc_unnecessary": unnecessary,
        "icpc_date": icpc,
        "icpc_resulted_in_cp_plan": result,
        "s47_enquiries_last_12_months": n_s47,
        "icpcs_last_12_months": n_icpc,
        "allocated_team": team,
        "allocated_worker": worker,
    }


EXPECTED = [
    # (a): 0 and 0; open, no decision yet (plan CP0 ended on the S47 start day: not on a plan)
    _row("P1", D(2026, 5, 1), None, None, None, 0, 0, "Assessment Team 1", "Alice Smith"),
    # (b): two rows, both 1 and 1; S3 is open without ICPC but the child is on plan CP1
    _row("P2", D(2026, 1, 10), NO, D(2026, 1, 28), YES, 1, 1, "Front Door", "Bob Jones"),
    _row("P2", D(2026, 6, 10), NO, None, None, 1, 1, "Front Door", "Bob Jones"),
    # (c): 1 and 1 (S4 ended before W6 so has no row; its ICPC C2 counted, S5's own C3 not)
    _row("P3", D(2026, 6, 15), NO, D(2026, 6, 29), NO, 1, 1, "Children's Services", "Alice Smith"),
    # P4: L = 03/05/2026; 8 other enquiries from 03/05/2025; ICPCs in [03/05/2025, 03/05/2026)
    _row("P4", D(2025, 11, 1), YES, None, None, 8, 1),  # S7 ended by A with NFA
    _row("P4", D(2026, 2, 1), YES, None, None, 8, 1),  # S8 ended, no conference needed
    _row("P4", D(2026, 3, 1), NO, None, None, 8, 1),  # S9 ICPC required, held after A
    _row("P4", D(2026, 4, 1), None, None, None, 8, 1),  # S10 ends after A: undecided
    _row("P4", D(2026, 4, 2), None, None, None, 8, 1),  # S11 outcome after A: not known
    _row("P4", D(2026, 5, 1), None, None, None, 8, 1),  # S12 ended, outcome unknown
    _row("P4", D(2026, 5, 2), NO, D(2026, 5, 20), YES, 8, 1),  # S14 first ICPC; plan id -> Y
    _row("P4", D(2026, 5, 3), NO, D(2026, 5, 15), NO, 8, 1),  # S15 JSON CP_FLAG N
]


def test_list_5_rows_examples_d17_counts_workers(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={5})[5]
    assert [published(r) for r in rows] == EXPECTED
    assert [r["_record_id"] for r in rows] == [
        "S1",
        "S2",
        "S3",
        "S5",
        "S7",
        "S8",
        "S9",
        "S10",
        "S11",
        "S12",
        "S14",
        "S15",
    ]


def test_list_5_worker_field_declared_as_staff_id(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("workers:\n  ssd_s47_enquiry.s47e_s47_completed_by_worker_id: staff_id\n")
    rows = build_lists(tmp_path, ROWS, A, lists={5}, mapping=mapping)[5]
    # S5's "W1" is not a staff id and P3 has no involvement: blank team and worker
    assert [(r["_record_id"], r["allocated_team"], r["allocated_worker"]) for r in rows[:4]] == [
        ("S1", "Assessment Team 1", "Alice Smith"),
        ("S2", "Front Door", "Bob Jones"),
        ("S3", "Front Door", "Bob Jones"),
        ("S5", None, None),
    ]


def test_list_5_earlier_as_at_date(tmp_path):
    # As at 31/01/2026 (W6 from 31/07/2025): P2's only S47 is S2 (L = 10/01/2026): 0 and 0, its
    # ICPC (28/01) linked. P3: S4 ended 20/08/2025, in W6; L = 15/07/2025: 0 and 0 (C2 after L).
    # P4: S6 and S7 (L = 01/11/2025): 1 each; ICPCs in [01/11/2024, 01/11/2025): C8, C9 -> 2.
    rows = build_lists(tmp_path, ROWS, D(2026, 1, 31), lists={5})[5]
    assert [
        (
            r["_record_id"],
            r["icpc_date"],
            r["s47_enquiries_last_12_months"],
            r["icpcs_last_12_months"],
        )
        for r in rows
    ] == [
        ("S2", D(2026, 1, 28), 0, 0),
        ("S4", D(2025, 8, 10), 0, 0),
        ("S6", None, 1, 2),
        ("S7", None, 1, 2),
    ]


def test_list_5_columns_in_order_then_hidden(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={5})[5]
    keys = list(rows[0])
    assert [k for k in keys if not k.startswith("_")] == [
        c.key for c in reference.list_spec(5).columns
    ]
    assert keys[: len(reference.list_spec(5).columns) + 2][-2:] == ["_record_id", "_person_id"]
    assert len({r["_record_id"] for r in rows}) == len(rows)
