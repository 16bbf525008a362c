"""Pack: lines of enquiry (issue 5.4) on a hand-built CMS. Every expected row is worked out by
hand from the drill-down definitions (sql/drilldowns/*.sql headers), indicators.md §2-§6
(working days from the start day = day 0, England and Wales bank holidays; clamped months) and
annex_a.md (list windows), not by running the SQL.

A = Tue 30/06/2026: W6 = 30/12/2025 .. A; W12 = 30/06/2025 .. A; A - 18 months = 30/12/2024.
Bank holidays used (§6.5): 25, 26 Dec 2025; 1 Jan 2026; 3 and 6 Apr 2026 (Easter); 4 and
25 May 2026. Working days per month in 2026: Feb 20, Mar 22, Apr 20, May 19, Jun 22 (no
holiday in June, so WD(09/06/2026, A) = 15 and WD(08/06/2026, A) = 16).
"""

import datetime as dt

import pytest
from golden.cms import person

from annexa.pack.drilldowns import drilldown_entries, run_drilldowns
from pack.build import build_connection, indicator, merge

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)
NORTH, SOUTH = "Team North", "Team South"
ANN, BEA, CAL = "Ann One", "Bea Two", "Cal Three"


# ---------------------------------------------------------------------------- assessments
def _asmt(aid, pid, start, auth=None, team=None, worker=None):
    return {
        "cina_assessment_id": aid,
        "cina_person_id": pid,
        "cina_referral_id": None,
        "cina_assessment_start_date": start,
        "cina_assessment_auth_date": auth,
        "cina_assessment_child_seen": "Y",
        "cina_assessment_outcome_nfa": "N",
        "cina_assessment_team": team,
        "cina_assessment_worker_id": worker,
    }


ASSESSMENTS = [
    # Thu 23/04/2026: 24, 27-30 Apr (5) + May 19 (4 and 25 May holidays) + June 22 = 46: listed
    _asmt("AS1", "AO1", D(2026, 4, 23), team="T1", worker="W1"),
    # Fri 24/04/2026: 4 + 19 + 22 = 45 WD: not beyond 45
    _asmt("AS2", "AO2", D(2026, 4, 24)),
    # 46 WD but authorised on A: not open
    _asmt("AS3", "AO3", D(2026, 4, 23), D(2026, 6, 30)),
    # Mon 05/01/2026, authorised after A (masked: open at A): Jan 19 + Feb 20 + Mar 22 +
    # Apr 20 (Easter) + May 19 + Jun 22 = 122 WD: listed
    _asmt("AS4", "AO4", D(2026, 1, 5), D(2026, 7, 1)),
]


# ---------------------------------------------------------------------------- S47 and ICPC
def _s47(sid, pid, start, end=None, nfa=None):
    return {
        "s47e_s47_enquiry_id": sid,
        "s47e_person_id": pid,
        "s47e_s47_start_date": start,
        "s47e_s47_end_date": end,
        "s47e_s47_nfa": nfa,
    }


def _icpc(cid, pid, sid, day):
    return {
        "icpc_icpc_id": cid,
        "icpc_person_id": pid,
        "icpc_s47_enquiry_id": sid,
        "icpc_icpc_date": day,
        "icpc_icpc_outcome_cp_flag": "Y",
    }


S47S = [
    _s47("S1", "IC1", D(2026, 3, 26)),  # strategy Thu 26/03, over Easter: day 15 = Mon 20/04
    _s47("S2", "IC2", D(2026, 3, 26)),
    _s47("S3", "IC3", D(2026, 3, 10)),  # ICPC the day before: data error
    _s47("S4", "IC4", D(2026, 6, 8)),  # open, no ICPC: WD(08/06, A) = 16: listed
    _s47("S5", "IC5", D(2026, 6, 9)),  # open, no ICPC: 15: not listed
    _s47("S6", "IC6", D(2026, 5, 1), D(2026, 5, 20), "Y"),  # ended NFA: ICPC unnecessary
    _s47("S7", "IC7", D(2025, 12, 1)),  # ICPC 29/12/2025 (18 WD) held before W6: not listed
    # ended 10/06/2026 with no ICPC and no NFA/conference decision: not open at A, not listed
    _s47("S8", "IC8", D(2026, 5, 1), D(2026, 6, 10)),
]
ICPCS = [
    _icpc("C1", "IC1", "S1", D(2026, 4, 20)),  # 15 WD: within
    _icpc("C2", "IC2", "S2", D(2026, 4, 21)),  # 16 WD: listed
    _icpc("C3", "IC3", "S3", D(2026, 3, 9)),  # -1 WD: listed as a data error
    _icpc("C7", "IC7", "S7", D(2025, 12, 29)),
]


# ---------------------------------------------------------------------------- CP plans
def _cpp(plid, pid, start, end=None):
    return {
        "cppl_cp_plan_id": plid,
        "cppl_person_id": pid,
        "cppl_cp_plan_start_date": start,
        "cppl_cp_plan_end_date": end,
        "cppl_cp_plan_initial_category": "NEG",
        "cppl_cp_plan_latest_category": "NEG",
    }


CP_PLANS = [
    _cpp("CP1", "K1", D(2024, 12, 30)),  # start = A - 18 months: 18 months, listed
    _cpp("CP2", "K2", D(2024, 12, 31)),  # +18 months = 31/06 -> clamped 30/06/2026 = A: listed
    _cpp("CP3", "K3", D(2025, 1, 1)),  # 17 months: not listed
    _cpp("CP4", "K4", D(2024, 6, 30)),  # 24 months: 18 months and 2 years
    _cpp("CP5old", "K5", D(2020, 1, 1), D(2021, 1, 1)),
    _cpp("CP5", "K5", D(2026, 3, 1)),  # repeat plan, 3 months
    _cpp("CP6old", "K6", D(2019, 1, 1), D(2019, 6, 1)),
    _cpp("CP6", "K6", D(2025, 6, 1), D(2026, 2, 15)),  # repeat, ended in W6: 8 months
    _cpp("CPN1", "N1", D(2026, 5, 1)),  # N1 is also on List 6 (caseload counted once)
]


# ---------------------------------------------------------------------------- children in care
def _ep(eid, pid, cla, start, rne, ceased=None, reason=None):
    return {
        "clae_cla_episode_id": eid,
        "clae_person_id": pid,
        "clae_cla_id": cla,
        "clae_cla_episode_start_date": start,
        "clae_cla_episode_start_reason": rne,
        "clae_cla_primary_need_code": "N1",
        "clae_cla_episode_ceased_date": ceased,
        "clae_cla_episode_ceased_reason": reason,
        "clae_entered_care_date": None,
    }


def _child(pid, start, moves=(), ceased=None):
    """One period from ``start``; ``moves`` = [(date, reason)] later episodes (each earlier
    episode ends X1 that day); one placement; legal status C2."""
    cla = f"P_{pid}"
    starts = [(start, "S"), *moves]
    eps = []
    for i, (day, rne) in enumerate(starts):
        last = i == len(starts) - 1
        eps.append(
            _ep(
                f"E_{pid}_{i}",
                pid,
                cla,
                day,
                rne,
                ceased=ceased if last else starts[i + 1][0],
                reason=("E13" if ceased else None) if last else "X1",
            )
        )
    return {
        "ssd_person": [person(pid)],
        "ssd_cla_episodes": eps,
        "ssd_legal_status": [
            {
                "lega_legal_status_id": f"L_{pid}",
                "lega_person_id": pid,
                "lega_legal_status": "C2",
                "lega_legal_status_start_date": start,
                "lega_legal_status_end_date": ceased,
            }
        ],
        "ssd_cla_placement": [
            {
                "clap_cla_placement_id": f"PL_{pid}",
                "clap_cla_id": cla,
                "clap_person_id": pid,
                "clap_cla_placement_start_date": start,
                "clap_cla_placement_type": "U4",
                "clap_cla_placement_provider": "PR1",
                "clap_cla_placement_postcode": "ZZ1 0ED",
            }
        ],
    }


def _missing(mid, pid, day, kind="M", offered=None, accepted=None, end=None):
    return {
        "miss_table_id": mid,
        "miss_person_id": pid,
        "miss_missing_episode_start_date": day,
        "miss_missing_episode_end_date": end or day,
        "miss_missing_episode_type": kind,
        "miss_missing_rhi_offered": offered,
        "miss_missing_rhi_accepted": accepted,
    }


CARE = merge(
    # S, P, P in W12 = 3 placements: listed
    _child("P1", D(2025, 8, 1), [(D(2025, 10, 1), "P"), (D(2026, 1, 1), "P")]),
    # S, P, T = 2 (T: same carer): not listed
    _child("P2", D(2025, 8, 1), [(D(2025, 10, 1), "P"), (D(2026, 1, 1), "T")]),
    # 3 placements but ceased 01/03/2026: not looked after at A
    _child(
        "P3", D(2025, 8, 1), [(D(2025, 10, 1), "P"), (D(2026, 1, 1), "P")], ceased=D(2026, 3, 1)
    ),
    # open on W12's first day (1) + 3 moves = 4: listed first
    _child("P4", D(2024, 1, 1), [(D(2025, 9, 1), "P"), (D(2026, 2, 1), "P"), (D(2026, 3, 1), "P")]),
    {
        "ssd_missing": [
            _missing("M1", "P1", D(2025, 9, 1), offered="Y", accepted="Y"),  # interview: no
            _missing("M2", "P1", D(2026, 2, 1), offered="N", accepted="N"),  # not offered
            _missing("M3", "P2", D(2026, 3, 10), offered="Y", accepted="N"),  # not accepted
            _missing("M4", "P2", D(2025, 7, 1), offered="N"),  # before P2's period of care
            _missing("M5", "P4", D(2025, 6, 29)),  # the day before W12
            _missing("M6", "P4", D(2025, 6, 30)),  # W12's first day, not recorded
            _missing("M7", "P4", D(2026, 4, 1), kind="A"),  # absent, not missing
            _missing("M8", "P4", D(2026, 6, 29), end=D(2026, 7, 1)),  # still missing at A
        ]
    },
)


# ---------------------------------------------------------------------------- care leavers
def _cl(tid, pid, touch, suit=None, worker=None, team=None):
    return {
        "clea_table_id": tid,
        "clea_person_id": pid,
        "clea_care_leaver_eligibility": "FORMER_RELEVANT",
        "clea_care_leaver_in_touch": touch,
        "clea_care_leaver_latest_contact": D(2026, 6, 1),
        "clea_care_leaver_accommodation": "U",
        "clea_care_leaver_accom_suitable": suit,
        "clea_care_leaver_activity": "F1",
        "clea_care_leaver_worker_id": worker,
        "clea_care_leaver_allocated_team": team,
    }


LEAVERS = {
    "ssd_person": [
        person("CL1", D(2006, 1, 1)),
        person("CL2", D(2005, 1, 1)),
        person("CL3", D(2007, 1, 1)),
        person("CL4", D(2006, 3, 1)),
        person("CL5", D(2004, 12, 1)),
    ],
    "ssd_care_leavers": [
        _cl("T1", "CL1", "YES", "1", worker="W2", team="T1"),  # in touch, suitable: no
        _cl("T2", "CL2", "NO", "1"),  # 21: not in touch
        _cl("T3", "CL3", "YES", "2"),  # 19: unsuitable
        _cl("T4", "CL4", "REFU", "2"),  # 20: refuses contact (suitability blanked)
        _cl("T5", "CL5", None, "1"),  # 21: nothing recorded = not in touch
    ],
}


# ---------------------------------------------------------------------------- CIN and workers
def _ref(rid, pid, day):
    return {
        "cine_referral_id": rid,
        "cine_person_id": pid,
        "cine_referral_date": day,
        "cine_referral_nfa": "N",
        "cine_cin_primary_need_code": "N1",
    }


def _plan(plid, pid, rid, start):
    return {
        "cinp_cin_plan_id": plid,
        "cinp_referral_id": rid,
        "cinp_person_id": pid,
        "cinp_cin_plan_start_date": start,
    }


def _cw(iid, pid, prof, team):
    return {
        "invo_involvements_id": iid,
        "invo_person_id": pid,
        "invo_professional_id": prof,
        "invo_professional_role_id": "CW",
        "invo_professional_team": team,
        "invo_involvement_start_date": D(2024, 1, 1),
    }


CIN = {
    "ssd_cin_episodes": [
        _ref("R1", "N1", D(2025, 1, 1)),
        _ref("R2", "N2", D(2025, 1, 1)),
        _ref("R3", "N3", D(2025, 1, 1)),
    ],
    "ssd_cin_plans": [
        _plan("PN1", "N1", "R1", D(2025, 2, 1)),
        _plan("PN2", "N2", "R2", D(2025, 2, 1)),
        _plan("PN3", "N3", "R3", D(2025, 2, 1)),
    ],
    "ssd_professionals": [
        {"prof_professional_id": "W1", "prof_professional_name": ANN},
        {"prof_professional_id": "W2", "prof_professional_name": BEA},
        {"prof_professional_id": "W3", "prof_professional_name": CAL},
    ],
    "ssd_department": [
        {"dept_team_id": "T1", "dept_team_name": NORTH},
        {"dept_team_id": "T2", "dept_team_name": SOUTH},
    ],
    "ssd_involvements": [
        _cw("I1", "N1", "W1", "T1"),
        _cw("I2", "N2", "W1", "T1"),  # N3: unallocated
        _cw("I3", "K1", "W1", "T1"),
        _cw("I4", "K2", "W2", "T1"),
        _cw("I5", "K3", "W2", "T1"),
        _cw("I6", "K4", "W3", "T2"),  # K5: unallocated
        _cw("I7", "P1", "W3", "T2"),
        _cw("I8", "P2", "W3", "T2"),  # P4: unallocated
    ],
}


# ---------------------------------------------------------------------------- contacts
def _contact(cid, pid, day, code, desc):
    return {
        "cont_contact_id": cid,
        "cont_person_id": pid,
        "cont_contact_date": day,
        "cont_contact_source_code": code,
        "cont_contact_source_desc": desc,
    }


CONTACTS = [
    _contact("CT1", "N1", D(2026, 6, 1), "5A", "Out of hours service"),
    _contact("CT2", "N2", D(2026, 6, 15), "5A", "Emergency duty team (out of hours)"),
    _contact("CT3", "N3", D(2026, 6, 20), "1A", "Parent"),
    _contact("CT4", "K1", D(2025, 12, 29), "5A", "Out of Hours Service"),  # before W6
    _contact("CT5", "K2", D(2026, 6, 30), "6", "Police"),
    _contact("CT6", "K3", D(2026, 6, 10), "5B", "Adult social care"),
]

PEOPLE = sorted(
    {r["cina_person_id"] for r in ASSESSMENTS}
    | {r["s47e_person_id"] for r in S47S}
    | {r["cppl_person_id"] for r in CP_PLANS}
    | {"N2", "N3"}
)

ROWS = merge(
    {
        "ssd_person": [person(p) for p in PEOPLE],
        "ssd_cin_assessments": ASSESSMENTS,
        "ssd_s47_enquiry": S47S,
        "ssd_initial_cp_conference": ICPCS,
        "ssd_cp_plans": CP_PLANS,
        "ssd_contacts": CONTACTS,
    },
    CARE,
    LEAVERS,
    CIN,
)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = build_connection(tmp_path_factory.mktemp("drill"), ROWS, A)
    yield c
    c.close()


@pytest.fixture(scope="module")
def tables(con):
    return {d["id"]: d for d in run_drilldowns(con)}


def _rows(table, *columns):
    """The named columns of every row, in the drill-down's order."""
    idx = [table["columns"].index(c) for c in columns]
    return [tuple(r[i] for i in idx) for r in table["rows"]]


def test_shape_and_metadata(tables):
    assert list(tables) == [d["id"] for d in drilldown_entries()]
    for d in tables.values():
        assert set(d) == {"id", "title", "question", "note", "columns", "rows"}
        assert d["title"] and d["question"] and d["note"]
        assert all(len(r) == len(d["columns"]) for r in d["rows"])
        # no hidden list columns leak into the output
        assert not any(c.startswith("_") for c in d["columns"])


def test_dd01_assessments_open_beyond_45_working_days(tables):
    t = tables["DD01"]
    assert t["columns"][:4] == [
        "Child Unique ID",
        "Age",
        "Assessment Start Date",
        "Working Days Open",
    ]
    # AO4 (122 WD, authorisation after A masked), AO1 (46 WD across 4 and 25 May);
    # AO2 45 WD exactly; AO3 authorised on A
    assert _rows(
        t,
        "Child Unique ID",
        "Assessment Start Date",
        "Working Days Open",
        "Allocated Team",
        "Allocated Worker",
    ) == [("AO4", "2026-01-05", 122, None, None), ("AO1", "2026-04-23", 46, NORTH, ANN)]


def test_dd02_icpcs_outside_15_working_days(tables):
    t = tables["DD02"]
    # held in W6: IC2 16 WD (Easter), IC3 before its S47 (-1); IC1 15 WD is within; IC7's
    # ICPC (18 WD) was held before W6. Open with no ICPC or decision: IC4 16 WD; IC5 15 WD
    # is not beyond 15; IC6 ended NFA (ICPC unnecessary); IC8 ended before A.
    assert _rows(
        t,
        "Child Unique ID",
        "S47 Start Date (Strategy Discussion)",
        "ICPC Date",
        "Working Days",
        "Status",
    ) == [
        ("IC2", "2026-03-26", "2026-04-21", 16, "ICPC held after 15 working days"),
        ("IC3", "2026-03-10", "2026-03-09", -1, "ICPC dated before the S47 start (data error)"),
        ("IC4", "2026-06-08", None, 16, "No ICPC or decision yet, over 15 working days"),
    ]


def test_dd03_long_and_repeat_cp_plans(tables):
    t = tables["DD03"]
    # open 18+ months first, longest first: K4 (24, 2 years), K1 (30/12/2024 = A - 18
    # months), K2 (31/12/2024 + 18 months clamps to 30/06/2026 = A); K3 17 months is out.
    # Repeat plans: K6 (ended 15/02/2026 after 8 months), K5 (open, 3 months).
    # N1's plan is neither.
    assert _rows(
        t,
        "Child Unique ID",
        "CP Plan Start Date",
        "CP Plan End Date",
        "Months on Plan",
        "Open 18 Months or More",
        "Open 2 Years or More",
        "Previous CP Plans",
    ) == [
        ("K4", "2024-06-30", None, 24, "Y", "Y", 0),
        ("K1", "2024-12-30", None, 18, "Y", "N", 0),
        ("K2", "2024-12-31", None, 18, "Y", "N", 0),
        ("K6", "2025-06-01", "2026-02-15", 8, "N", "N", 1),
        ("K5", "2026-03-01", None, 3, "N", "N", 1),
    ]


def test_dd04_three_or_more_placements(tables):
    t = tables["DD04"]
    # P4: open on W12's first day + 3 moves = 4; P1: S, P, P = 3; P2 (T move) 2; P3 ceased
    assert _rows(t, "Child Unique ID", "Placements in Last 12 Months", "Allocated Worker") == [
        ("P4", 4, None),
        ("P1", 3, CAL),
    ]


def test_dd05_missing_without_return_interview(tables):
    t = tables["DD05"]
    # latest first: M3 (offered, refused), M2 (not offered), M6 (W12's first day, nothing
    # recorded). M1 offered and accepted; M4 before P2's period of care; M5 before W12;
    # M7 absent; M8 still missing at A.
    assert _rows(
        t,
        "Child Unique ID",
        "Missing Episode Start Date",
        "Return Interview Offered",
        "Return Interview Accepted",
        "Return Interview Status",
    ) == [
        ("P2", "2026-03-10", "Y", "N", "Offered, not accepted"),
        ("P1", "2026-02-01", "N", "N", "Not offered"),
        ("P4", "2025-06-30", None, None, "Not recorded"),
    ]


def test_dd06_care_leavers_not_in_touch_or_unsuitable(tables):
    t = tables["DD06"]
    # not in touch first, oldest first: CL2 (21, b) No), CL5 (21, blank; ties on the id),
    # CL4 (20, refuses contact); then CL3 (19, in touch, unsuitable). CL1 in touch and
    # suitable. List 9 blanks suitability unless in touch (D23), so CL4's "unsuitable" never
    # reaches the list and CL2's "suitable" is blank.
    assert _rows(
        t, "Child Unique ID", "Age", "Reason", "LA in Touch", "Suitability of Accommodation"
    ) == [
        ("CL2", 21, "Not in touch", "b) No", None),
        ("CL5", 21, "Not in touch", None, None),
        ("CL4", 20, "Not in touch", "d) Refu", None),
        ("CL3", 19, "Unsuitable accommodation", "a) Yes", "b) Unsuitable"),
    ]


def test_dd07_caseloads_by_worker_and_team(tables):
    t = tables["DD07"]
    assert t["columns"] == [
        "Allocated Team",
        "Allocated Worker",
        "Children",
        "Children in Need (List 6)",
        "Child Protection (List 7)",
        "Children in Care (List 8)",
        "Care Leavers (List 9)",
        "Team Children",
    ]
    # Ann: N1 (List 6 and 7: once), N2, K1 = 3; Bea: K2, K3, CL1 = 3; Cal: K4, P1, P2 = 3.
    # Team North: N1, N2, K1, K2, K3, CL1 = 6; Team South: 3. Ties by team, then worker.
    assert t["rows"] == [
        [NORTH, ANN, 3, 2, 2, 0, 0, 6],
        [NORTH, BEA, 3, 0, 2, 0, 1, 6],
        [SOUTH, CAL, 3, 0, 1, 2, 0, 3],
    ]


def test_dd08_unallocated_cases(tables):
    t = tables["DD08"]
    # open and no worker: N3 (List 6); K5 (List 7; K6's plan ended); P4 (List 8; P3 ceased);
    # CL2-CL5 (List 9)
    assert _rows(t, "Child Unique ID", "List") == [
        ("N3", "List 6: Children in Need"),
        ("K5", "List 7: Child protection"),
        ("P4", "List 8: Children in care"),
        ("CL2", "List 9: Care leavers"),
        ("CL3", "List 9: Care leavers"),
        ("CL4", "List 9: Care leavers"),
        ("CL5", "List 9: Care leavers"),
    ]


def test_dd10_unallocated_by_team_on_the_hand_built_cms(tables):
    # DD08's 7 rows, none with a team: N3 (6), K5 (7), P4 (8), CL2-CL5 (9)
    assert tables["DD10"]["rows"] == [["(no team)", 1, 1, 1, 4, 7]]


def test_dd10_counts_open_unallocated_rows_per_team():
    import duckdb

    from annexa.core.paths import sql_dir

    con = duckdb.connect()
    con.execute(
        "create table annex_a_list_06_children_in_need as select * from (values "
        "('North', null, null), ('North', '', null), ('North', 'Ann', null), "
        "('South', null, date '2026-01-01'), ('  ', null, null)) "
        "t(allocated_team, allocated_worker, cin_closure_date)"
    )
    con.execute(
        "create table annex_a_list_07_child_protection as select * from (values "
        "('South', null, null), ('North', null, null)) t(allocated_team, allocated_worker, "
        "cp_plan_end_date)"
    )
    con.execute(
        "create table annex_a_list_08_children_in_care as select * from (values "
        "('South', ' ', null), ('South', null, date '2026-02-01')) "
        "t(allocated_team, allocated_worker, date_ceased_looked_after)"
    )
    con.execute(
        "create table annex_a_list_09_care_leavers as select * from (values "
        "(null, null), ('South', 'Bea')) t(allocated_team, allocated_worker)"
    )
    rows = con.sql((sql_dir() / "drilldowns" / "dd10_unallocated_by_team.sql").read_text())
    # North: two open List 6 rows without a worker ('' is blank) + one List 7; South: List 7 and
    # List 8 (' ' is blank; the closed List 6 row and the ceased List 8 row are not open); no team:
    # the blank-team List 6 row and the List 9 row. Most unallocated first, ties by team name.
    assert rows.fetchall() == [
        ("North", 2, 1, 0, 0, 3),
        ("(no team)", 1, 0, 0, 1, 2),
        ("South", 0, 1, 1, 0, 2),
    ]


def test_dd09_contacts_all_sources_latest_first(tables):
    t = tables["DD09"]
    # W6 contacts, latest first (CT4 is the day before W6)
    assert _rows(t, "Child Unique ID", "Date of Contact", "Contact Source") == [
        ("K2", "2026-06-30", "q) 6: Police"),
        ("N3", "2026-06-20", "a) 1A: Individual"),
        ("N2", "2026-06-15", "n) 5A: LA services"),
        ("K3", "2026-06-10", "o) 5B: LA services"),
        ("N1", "2026-06-01", "n) 5A: LA services"),
    ]


def _dd09(con, source=None, limit=50):
    (t,) = [d for d in run_drilldowns(con, source=source, limit=limit) if d["id"] == "DD09"]
    return _rows(t, "Child Unique ID", "Date of Contact")


@pytest.mark.parametrize(
    "source", ["5A", "5a", "n) 5A: LA services", "out of hours", "OUT OF HOURS"]
)
def test_dd09_contacts_from_one_source(con, source):
    # national code, Annex A string or part of the CMS description: CT2, CT1
    assert _dd09(con, source) == [("N2", "2026-06-15"), ("N1", "2026-06-01")]


def test_dd09_limit_and_reset(con):
    assert _dd09(con, limit=2) == [("K2", "2026-06-30"), ("N3", "2026-06-20")]
    assert _dd09(con, "5A", limit=1) == [("N2", "2026-06-15")]
    assert _dd09(con, "9") == []
    # a short value matches codes only, never part of a description ("Police" has "po")
    assert _dd09(con, "po") == []
    assert _dd09(con, "police") == [("K2", "2026-06-30")]
    # the parameters do not outlive the call
    assert con.sql("select getvariable('drill_source'), getvariable('drill_limit')").fetchall() == [
        (None, None)
    ]


def test_caseload_drilldowns_agree_with_wf05_and_wf09(con, tables):
    # WF05 numerator = worker-child pairs = the sum of DD07's "Children"; WF09 numerator =
    # unallocated open rows = DD08's rows
    wf05, wf09 = indicator(con, "WF05"), indicator(con, "WF09")
    assert wf05["numerator"] == sum(r[2] for r in tables["DD07"]["rows"]) == 9.0
    assert wf05["denominator"] == len(tables["DD07"]["rows"]) == 3.0
    assert wf09["numerator"] == len(tables["DD08"]["rows"]) == 7.0
