"""Golden: List 3 Referrals. Expected rows worked out by hand from annex_a.md §3 (§3.10, §3.12),
§5 List 3, D14, D15, D26 and source_contract.md §5.4 and §6.4."""

import datetime as dt

import pytest

from annexa import reference
from golden.cms import build_lists, person, published

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)  # W6 starts 30/12/2025 (annex_a.md §3.1)


def _ref(rid, pid, day, code="3A", nfa="N", close=None, team=None, worker=None, desc=None):
    return {
        "cine_referral_id": rid,
        "cine_person_id": pid,
        "cine_referral_date": day,
        "cine_referral_source_code": code,
        "cine_referral_source_desc": desc,
        "cine_referral_nfa": nfa,
        "cine_close_date": close,
        "cine_referral_team": team,
        "cine_referral_worker_id": worker,
    }


def _invo(iid, pid, prof, team, start, end=None, role="CW", ref=None):
    return {
        "invo_involvements_id": iid,
        "invo_person_id": pid,
        "invo_professional_id": prof,
        "invo_professional_team": team,
        "invo_involvement_start_date": start,
        "invo_involvement_end_date": end,
        "invo_professional_role_id": role,
        "invo_referral_id": ref,
    }


ROWS = {
    "ssd_person": [person("P1"), person("P2"), person("P3"), person("P4")],
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
        {
            "prof_professional_id": "W3",
            "prof_staff_id": "S300",
            "prof_professional_name": "Cara Lee",
            "prof_professional_department": "North Locality",
        },
    ],
    "ssd_department": [
        {"dept_team_id": "T1", "dept_team_name": "Assessment Team 1"},
        {"dept_team_id": "T2", "dept_team_name": "Front Door"},
        {"dept_team_id": "T3", "dept_team_name": "Locality North"},
    ],
    "ssd_cin_episodes": [
        # P1: Ofsted's worked example (§3.12): rows for 01/02 and 01/05, both showing 2
        _ref("R1", "P1", D(2025, 8, 1)),
        _ref("R2", "P1", D(2026, 2, 1), team="T1", worker="W1"),  # professional id
        _ref(
            "R3",
            "P1",
            D(2026, 5, 1),
            code="5D",
            nfa="Y",
            close=D(2026, 5, 10),
            team="T1",
            worker="S200",
        ),  # staff id
        _ref("R4", "P1", D(2026, 7, 10), team="T1", worker="W1"),  # after A: out
        # P2: only referral in two years is on A -> 0; team id that does not join, no worker
        _ref("R6", "P2", D(2024, 5, 1)),
        _ref("R5", "P2", D(2026, 6, 30), code=None, desc="6", team="T9"),
        # P3: W6 edge, 12-month edge (L - 12 months counted, the day before not)
        _ref("R11", "P3", D(2025, 3, 14)),
        _ref("R10", "P3", D(2025, 3, 15)),
        _ref("R7", "P3", D(2025, 12, 29)),  # day before W6
        _ref("R8", "P3", D(2025, 12, 30), worker="Zed Unknown"),  # first day of W6
        _ref("R9", "P3", D(2026, 3, 15), nfa="YES", close=D(2026, 3, 15), team="T2"),
        # P4: D15 cases
        _ref("R12", "P4", D(2026, 6, 1), code="1A", nfa="Y", close=D(2026, 7, 2)),
        _ref("R13", "P4", D(2026, 6, 2), code="1A", nfa=None, worker="W3"),
        _ref("R14", "P4", D(2026, 6, 3), code="1A", nfa="N", close=D(2026, 7, 2)),
    ],
    "ssd_involvements": [
        # no person on the involvement (Mosaic): the child is taken from its episode R5
        _invo("I1", None, "W3", "T3", D(2026, 1, 1), ref="R5"),
        _invo("I2", "P3", "W1", "T2", D(2025, 12, 15), D(2026, 1, 31), ref="R7"),
        _invo("I3", "P3", "W2", "T1", D(2025, 12, 1), ref="R8"),
        _invo("I4", "P3", "W1", "T2", D(2026, 3, 1), role="16PLUS"),  # not a CW: ignored
        _invo("I5", "P4", "W2", "T2", D(2026, 6, 3), D(2026, 6, 3)),
    ],
}

CHILD = {"gender": "b) Female", "ethnicity": "a) WBRI", "date_of_birth": D(2015, 5, 1), "age": 11}
H3A, H5D, POL, IND = (
    "g) 3A: Health services",
    "p1) 5D: LA services",
    "q) 6: Police",
    "a) 1A: Individual",
)
YES, NO = "a) Yes", "b) No"

EXPECTED = [
    {
        "child_unique_id": "P1",
        **CHILD,
        "date_of_referral": D(2026, 2, 1),
        "referral_source": H3A,
        "referral_nfa": NO,
        "referrals_last_12_months": 2,
        "allocated_team": "Assessment Team 1",
        "allocated_worker": "Alice Smith",
    },
    {
        "child_unique_id": "P1",
        **CHILD,
        "date_of_referral": D(2026, 5, 1),
        "referral_source": H5D,
        "referral_nfa": YES,
        "referrals_last_12_months": 2,
        "allocated_team": "Assessment Team 1",
        "allocated_worker": "Bob Jones",
    },
    # worker from the CW involvement open on the date; team id T9 does not join -> its team
    {
        "child_unique_id": "P2",
        **CHILD,
        "date_of_referral": D(2026, 6, 30),
        "referral_source": POL,
        "referral_nfa": NO,
        "referrals_last_12_months": 0,
        "allocated_team": "Locality North",
        "allocated_worker": "Cara Lee",
    },
    # "Zed Unknown" joins no worker id: involvement of this episode (I3) preferred over the
    # later-starting I2 of another episode
    {
        "child_unique_id": "P3",
        **CHILD,
        "date_of_referral": D(2025, 12, 30),
        "referral_source": H3A,
        "referral_nfa": NO,
        "referrals_last_12_months": 3,
        "allocated_team": "Assessment Team 1",
        "allocated_worker": "Bob Jones",
    },
    {
        "child_unique_id": "P3",
        **CHILD,
        "date_of_referral": D(2026, 3, 15),
        "referral_source": H3A,
        "referral_nfa": YES,
        "referrals_last_12_months": 3,
        "allocated_team": "Front Door",
        "allocated_worker": "Bob Jones",
    },
    # NFA Y but closed after A -> blank; no worker, no involvement -> blank (reported)
    {
        "child_unique_id": "P4",
        **CHILD,
        "date_of_referral": D(2026, 6, 1),
        "referral_source": IND,
        "referral_nfa": None,
        "referrals_last_12_months": 2,
        "allocated_team": None,
        "allocated_worker": None,
    },
    # NFA missing -> blank; no team anywhere -> the worker's department text
    {
        "child_unique_id": "P4",
        **CHILD,
        "date_of_referral": D(2026, 6, 2),
        "referral_source": IND,
        "referral_nfa": None,
        "referrals_last_12_months": 2,
        "allocated_team": "North Locality",
        "allocated_worker": "Cara Lee",
    },
    # NFA N stays b) No even though the episode closes after A; involvement ending on the date
    {
        "child_unique_id": "P4",
        **CHILD,
        "date_of_referral": D(2026, 6, 3),
        "referral_source": IND,
        "referral_nfa": NO,
        "referrals_last_12_months": 2,
        "allocated_team": "Front Door",
        "allocated_worker": "Bob Jones",
    },
]


def test_list_3_rows_counts_nfa_and_workers(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={3})[3]
    assert [published(r) for r in rows] == EXPECTED
    assert [r["_record_id"] for r in rows] == ["R2", "R3", "R5", "R8", "R9", "R12", "R13", "R14"]


def test_list_3_worker_field_declared_as_name(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("workers:\n  ssd_cin_episodes.cine_referral_worker_id: name\n")
    rows = build_lists(tmp_path, ROWS, A, lists={3}, mapping=mapping)[3]
    # name kind: the value is the name, even when it looks like an id; null -> involvement
    assert [r["allocated_worker"] for r in rows] == [
        "W1",
        "S200",
        "Cara Lee",
        "Zed Unknown",
        "Bob Jones",
        None,
        "W3",
        "Bob Jones",
    ]


def test_list_3_worker_field_declared_as_staff_id(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("workers:\n  ssd_cin_episodes.cine_referral_worker_id: staff_id\n")
    rows = build_lists(tmp_path, ROWS, A, lists={3}, mapping=mapping)[3]
    # W1 and W3 are professional ids, not staff ids: they fall back to the involvement (P1 has
    # none; P4's I5 is not open on 02/06) -> blank
    assert [r["allocated_worker"] for r in rows] == [
        None,
        "Bob Jones",
        "Cara Lee",
        "Bob Jones",
        "Bob Jones",
        None,
        None,
        "Bob Jones",
    ]


def test_list_3_counts_stop_at_earlier_as_at(tmp_path):
    # As at 31/03/2026 (W6 from 30/09/2025): P1's latest referral is R2 (01/02/2026); R1 counted
    # (window 01/02/2025..01/02/2026). P3's latest is R9 -> 3 as before.
    rows = build_lists(tmp_path, ROWS, D(2026, 3, 31), lists={3})[3]
    assert [(r["_record_id"], r["referrals_last_12_months"]) for r in rows] == [
        ("R2", 1),
        ("R7", 3),
        ("R8", 3),
        ("R9", 3),
    ]


def test_list_3_columns_in_order_then_hidden(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={3})[3]
    keys = list(rows[0])
    assert [k for k in keys if not k.startswith("_")] == [
        c.key for c in reference.list_spec(3).columns
    ]
    assert keys[: len(reference.list_spec(3).columns) + 2][-2:] == ["_record_id", "_person_id"]
    assert len({r["_record_id"] for r in rows}) == len(rows)
