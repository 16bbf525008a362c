"""Golden: List 6 Children in need. Expected rows worked out by hand from annex_a.md §3 (§3.1,
§3.2, §3.3, §3.7, §3.10), §4.6, §4.8, §4.9, §5 List 6, D1-D3, D5, D11, D18, D19, D26 and
source_contract.md §5.7 and §6.4."""

import datetime as dt

import pytest

from annexa import reference
from golden.cms import (
    assessment,
    build_lists,
    cla_episode,
    cp_plan,
    legal_status,
    person,
    published,
    referral,
)

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)  # W6 starts 30/12/2025 (annex_a.md §3.1)


def _cinp(plid, pid, rid, start, end=None, team=None, worker=None):
    return {
        "cinp_cin_plan_id": plid,
        "cinp_person_id": pid,
        "cinp_referral_id": rid,
        "cinp_cin_plan_start_date": start,
        "cinp_cin_plan_end_date": end,
        "cinp_cin_plan_team": team,
        "cinp_cin_plan_worker_id": worker,
    }


def _cinv(vid, pid, day, seen, plan=None):
    return {
        "cinv_cin_visit_id": vid,
        "cinv_person_id": pid,
        "cinv_cin_plan_id": plan,
        "cinv_cin_visit_date": day,
        "cinv_cin_visit_seen": seen,
    }


def _cppv(vid, pid, day, seen, plan=None):
    return {
        "cppv_cp_visit_id": vid,
        "cppv_person_id": pid,
        "cppv_cp_plan_id": plan,
        "cppv_cp_visit_date": day,
        "cppv_cp_visit_seen": seen,
    }


def _clav(vid, pid, day, seen):
    return {
        "clav_cla_visit_id": vid,
        "clav_person_id": pid,
        "clav_cla_visit_date": day,
        "clav_cla_visit_seen": seen,
    }


def _invo(iid, pid, prof, team, start, end=None, rid=None):
    return {
        "invo_involvements_id": iid,
        "invo_person_id": pid,
        "invo_professional_id": prof,
        "invo_professional_team": team,
        "invo_professional_role_id": "CW",
        "invo_referral_id": rid,
        "invo_involvement_start_date": start,
        "invo_involvement_end_date": end,
    }


def _cl(tid, pid, elig):
    return {
        "clea_table_id": tid,
        "clea_person_id": pid,
        "clea_care_leaver_eligibility": elig,
        "clea_care_leaver_in_touch": "YES",
        "clea_care_leaver_latest_contact": D(2026, 5, 1),
    }


ROWS = {
    "ssd_person": [
        *(
            person(p)
            for p in (
                "C01",
                "C02",
                "C03",
                "C04",
                "C05",
                "C06",
                "C07",
                "C08",
                "C11",
                "C12",
                "C13",
                "C15",
                "C16",
                "C17",
                "C19",
                "C20",
                "C21",
                "C24",
                "C25",
                "C26",
            )
        ),
        person("C09", D(2008, 1, 1)),  # 18 at A: care leaver
        person("C10", D(2009, 1, 1)),  # 17 at A: care leaver
        # unborn: no date of birth, expected after A; gender not recorded
        person("C23", None, pers_expected_dob=D(2026, 9, 1), pers_gender=None),
    ],
    "ssd_professionals": [
        {"prof_professional_id": "W1", "prof_professional_name": "Alice Smith"},
        {"prof_professional_id": "W2", "prof_professional_name": "Bob Jones"},
    ],
    "ssd_department": [
        {"dept_team_id": "T1", "dept_team_name": "Team One"},
        {"dept_team_id": "T2", "dept_team_name": "Front Door"},
    ],
    "ssd_cin_episodes": [
        referral("R01", "C01", D(2025, 6, 1), D(2025, 12, 30), "RC7"),  # closed on W6 start: in
        referral("R02", "C02", D(2025, 6, 1), D(2025, 12, 29), "RC7"),  # day before W6: out
        referral("R03", "C03", D(2025, 11, 1), D(2026, 6, 30), "RC3"),  # closed on A: ended (D2)
        referral("R04", "C04", D(2026, 1, 5), D(2026, 7, 10), "RC8"),  # closure after A: open
        referral("R05A", "C05", D(2026, 1, 10)),
        referral("R05B", "C05", D(2026, 7, 1)),  # starts after A: out
        referral("R06", "C06", D(2026, 3, 1), D(2026, 3, 2), nfa="Y"),  # NFA referral: out
        referral("R07A", "C07", D(2025, 11, 1)),
        referral("R07B", "C07", D(2026, 1, 15), D(2026, 2, 1), "RC8"),  # RC8 closure: out
        referral("R08", "C08", D(2026, 2, 15), D(2026, 3, 1), "RC9"),  # RC9 closure: out
        referral("R09", "C09", D(2025, 10, 1)),  # care-leaver only: out
        referral("R10", "C10", D(2022, 12, 1)),
        referral("9", "C11", D(2026, 2, 1), D(2026, 4, 1), "RC7"),  # tie: lower id
        referral("10", "C11", D(2026, 2, 1), D(2026, 5, 1), "RC7"),  # tie: higher id wins
        referral("R12OLD", "C12", D(2024, 1, 1)),
        referral("R12A", "C12", D(2026, 3, 1)),  # tie: open wins
        referral("R12B", "C12", D(2026, 3, 1), D(2026, 4, 1), "RC7"),
        referral("R13", "C13", D(2026, 2, 10), need=None),  # need not recorded: N0
        referral("R15", "C15", D(2025, 5, 1)),
        referral("R16", "C16", D(2025, 9, 15), need="N2"),
        referral("R17", "C17", D(2025, 8, 1)),
        referral("R19", "C19", D(2026, 4, 1)),
        referral("R20", "C20", D(2026, 1, 20), D(2026, 3, 1), "RC7"),
        referral("R21", "C21", D(2026, 1, 1)),
        referral("R23", "C23", D(2026, 5, 1)),
        referral("R24", "C24", D(2026, 6, 20), D(2026, 7, 3), nfa="Y"),  # NFA known after A only
        referral("R25", "C25", D(2026, 2, 20), nfa=None),  # NFA flag missing: in
        referral("R26", "C26", D(2025, 10, 1), D(2026, 2, 1)),  # closure reason missing
        referral("RX", "CX", D(2026, 2, 1)),  # orphan: no such person
    ],
    "ssd_cin_plans": [
        _cinp("CINP04", "C04", "R04", D(2026, 1, 20), D(2026, 7, 10)),  # ends after A: open
        _cinp("CINP07", "C07", "R07A", D(2025, 11, 20)),
        _cinp("CINP13", "C13", "R13", D(2026, 2, 20)),
        _cinp("CINP15", "C15", "R15", D(2025, 6, 1)),
        _cinp("CINP17", "C17", "R17", D(2026, 6, 30)),  # starts on A: open
        _cinp("CINP21", "C21", "R21", D(2026, 1, 10), team="T2", worker="W2"),
        _cinp("CINP25", "C25", "R25", D(2026, 3, 1)),
    ],
    "ssd_cp_plans": [
        cp_plan("CP09", "C09", D(2025, 6, 1), D(2025, 12, 29)),  # ended the day before W6
        cp_plan("CP12", "C12", D(2026, 3, 5), ola="Y"),  # held for another LA
        cp_plan("CP15", "C15", D(2025, 6, 1)),
        cp_plan("CP16", "C16", D(2026, 1, 5)),
        cp_plan("CP17", "C17", D(2025, 9, 1), D(2026, 6, 30)),  # ended on A (D2)
        cp_plan("CP20", "C20", D(2026, 2, 1)),
        cp_plan("CP21", "C21", D(2026, 2, 1), D(2026, 5, 31)),
    ],
    "ssd_cin_assessments": [
        assessment("AS05", "C05", "R05A", D(2026, 1, 12), D(2026, 7, 5), team="T1", worker="W1"),
        assessment("AS19", "C19", "R19", D(2026, 4, 2), D(2026, 6, 30)),  # authorised on A
        assessment("AS23", "C23", "R23", D(2026, 5, 2)),  # pre-birth, open
    ],
    "ssd_cla_episodes": [
        cla_episode(
            "E10", "C10", "CLA10", D(2023, 1, 1), ceased=D(2026, 2, 1), reason="E11"
        ),  # ended in W6
        cla_episode("E15", "C15", "CLA15", D(2025, 9, 1)),
        cla_episode("E16", "C16", "CLA16", D(2025, 10, 1)),
    ],
    "ssd_legal_status": [
        legal_status("L10", "C10", "C2", D(2023, 1, 1), D(2026, 2, 1)),
        legal_status("L15", "C15", "C2", D(2025, 9, 1)),
        legal_status("L16", "C16", "V3", D(2025, 10, 1)),  # short breaks: not looked after
    ],
    "ssd_care_leavers": [
        _cl("CL09", "C09", "FORMER_RELEVANT"),
        _cl("CL10", "C10", "RELEVANT"),
    ],
    "ssd_cin_visits": [
        _cinv("V01A", "C01", D(2025, 12, 30), "Y"),  # on the closure date: counts
        _cinv("V01B", "C01", D(2026, 1, 5), "Y"),  # after the closure: not in the episode
        _cinv("V21A", "C21", D(2025, 12, 15), "Y"),  # before the referral: not in the episode
        _cinv("V21B", "C21", D(2026, 5, 1), "Y"),
        _cinv("V21F", "C21", D(2026, 7, 2), "Y"),  # after A
    ],
    "ssd_cp_visits": [
        _cppv("CV21A", None, D(2026, 5, 20), "Y", plan="CP21"),  # person via the plan
        _cppv("CV21B", "C21", D(2026, 6, 1), "N"),  # not seen
    ],
    "ssd_cla_visits": [
        _clav("LV10", "C10", D(2026, 1, 15), "Y"),
        _clav("LV15", "C15", D(2026, 6, 20), "Y"),
        _clav("LV21", "C21", D(2026, 6, 15), None),  # no seen flag: ignored, reported
    ],
    "ssd_involvements": [
        _invo("I1", "C15", "W1", "T1", D(2025, 1, 1)),  # open at A
        _invo("I2", "C01", "W1", "T1", D(2025, 6, 1), D(2025, 12, 30)),  # ended at closure
        _invo("I3", "C01", "W2", "T2", D(2026, 2, 1)),  # after closure
    ],
}

BASE = {
    "gender": "b) Female",
    "ethnicity": "a) WBRI",
    "date_of_birth": D(2015, 5, 1),
    "age": 11,
    "disability": "c) Unknown",
}
N1 = "N1 - Abuse or neglect"
RC7 = "RC7 - Services ceased for any other reason, including child no longer in need"
LAC, CP, CIN = "a) Looked after child", "b) Child Protection plan", "c) Child in need plan"
ASSESS, CLOSED = "d) Open assessment", "e) Closed episode"


def _row(
    cid, start, status, need=N1, seen=None, close=None, reason=None, team=None, worker=None, **child
):
    return {
        "child_unique_id": cid,
        **BASE,
        **child,
        "cin_start_date": start,
        "primary_need_code": need,
        "date_child_last_seen": seen,
        "cin_closure_date": close,
        "reason_for_closure": reason,
        "case_status": status,
        "allocated_team": team,
        "allocated_worker": worker,
    }


EXPECTED = [
    # closed on the first day of W6 (D1): in, closed -> e). Last seen: the visit on the closure
    # day counts, the one after it is outside the episode. Worker at closure: I2 (the latest CW
    # involvement started on or before the closure), not I3 (started after it).
    _row(
        "C01",
        D(2025, 6, 1),
        CLOSED,
        seen=D(2025, 12, 30),
        close=D(2025, 12, 30),
        reason=RC7,
        team="Team One",
        worker="Alice Smith",
    ),
    # C02 closed 29/12/2025, the day before W6: out.
    # closed on A: ended (D2), closure date and reason shown
    _row(
        "C03", D(2025, 11, 1), CLOSED, close=D(2026, 6, 30), reason="RC3 - Child arrangements order"
    ),
    # closure (RC8) after A: not happened yet (D3) -> open, not excluded; CIN plan ending after A
    # is open at A -> c)
    _row("C04", D(2026, 1, 5), CIN),
    # the 01/07/2026 referral starts after A: left out; R05A's assessment authorised after A is
    # open at A -> d). No involvement, no CIN plan: worker from the episode's assessment.
    _row("C05", D(2026, 1, 10), ASSESS, team="Team One", worker="Alice Smith"),
    # C06: NFA referral: out. C07: the later RC8 episode is out, the earlier open one remains.
    _row("C07", D(2025, 11, 1), CIN),
    # C08: RC9 closure: out. C09: on List 9 (former relevant, 18), only CP plan ended the day
    # before W6: leaving-care only -> out.
    # C10: on List 9 but looked after until 01/02/2026 (in W6): in. Not looked after at A, no
    # plan or assessment -> c) with a warning. Last seen at the CLA visit.
    _row("C10", D(2022, 12, 1), CIN, seen=D(2026, 1, 15), date_of_birth=D(2009, 1, 1), age=17),
    # same referral date: both closed, the higher id wins (10 > 9 as numbers)
    _row("C11", D(2026, 2, 1), CLOSED, close=D(2026, 5, 1), reason=RC7),
    # latest date 01/03/2026 twice: the open episode wins over the closed R12B; the other-LA CP
    # plan does not count for b) -> c) with a warning
    _row("C12", D(2026, 3, 1), CIN),
    # primary need not recorded -> N0
    _row("C13", D(2026, 2, 10), CIN, need="N0 - Not stated"),
    # looked after (C2) + CP plan + CIN plan -> a) first. Last seen from the CLA visit. Worker
    # from the CW involvement open at A.
    _row("C15", D(2025, 5, 1), LAC, seen=D(2026, 6, 20), team="Team One", worker="Alice Smith"),
    # in care under V3 (short breaks) -> not a); CP plan open -> b)
    _row("C16", D(2025, 9, 15), CP, need="N2 - Child’s disability"),
    # CP plan ended on A (D2) -> not b); CIN plan starting on A -> c)
    _row("C17", D(2025, 8, 1), CIN),
    # assessment authorised on A: not open at A; nothing else -> c) with a warning
    _row("C19", D(2026, 4, 1), CIN),
    # closed episode -> e) even though a CP plan is open at A (source_contract.md §5.7)
    _row("C20", D(2026, 1, 20), CLOSED, close=D(2026, 3, 1), reason=RC7),
    # last seen: CIN visit 01/05 and CP visit 20/05 (person through its plan) count; the CP visit
    # of 01/06 was not seen, the CLA visit of 15/06 has no seen flag, 02/07 is after A, 15/12/2025
    # is before the referral -> 20/05/2026. CP plan ended 31/05; CIN plan open -> c). No
    # involvement: worker and team from the CIN plan.
    _row("C21", D(2026, 1, 1), CIN, seen=D(2026, 5, 20), team="Front Door", worker="Bob Jones"),
    # unborn (D5): age -1, date of birth = expected date; gender not recorded; open pre-birth
    # assessment -> d)
    _row(
        "C23",
        D(2026, 5, 1),
        ASSESS,
        gender="c) Not stated/recorded",
        date_of_birth=D(2026, 9, 1),
        age=-1,
    ),
    # NFA flag but the referral closes after A: the NFA was not known at A (D3, as D15) -> open,
    # no service -> c) with a warning
    _row("C24", D(2026, 6, 20), CIN),
    # NFA flag not recorded: not an NFA referral, stays in (the flag is reported on List 3)
    _row("C25", D(2026, 2, 20), CIN),
    # closed without a recorded reason: not RC8/RC9, stays in; reason blank (reported)
    _row("C26", D(2025, 10, 1), CLOSED, close=D(2026, 2, 1)),
]

RECORD_IDS = [
    "R01",
    "R03",
    "R04",
    "R05A",
    "R07A",
    "R10",
    "10",
    "R12A",
    "R13",
    "R15",
    "R16",
    "R17",
    "R19",
    "R20",
    "R21",
    "R23",
    "R24",
    "R25",
    "R26",
]


def test_list_6_scope_selection_status_and_last_seen(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={6})[6]
    assert [published(r) for r in rows] == EXPECTED
    assert [r["_record_id"] for r in rows] == RECORD_IDS
    assert [r["_person_id"] for r in rows] == [r["child_unique_id"] for r in EXPECTED]
    warned = [r["child_unique_id"] for r in rows if r["_status_warning"]]
    assert warned == ["C10", "C12", "C19", "C24"]
    by_child = {r["child_unique_id"]: r for r in rows}
    assert by_child["C21"]["_visits_without_seen_flag"] == 1  # the CLA visit LV21
    assert by_child["C23"]["_dob_basis"] == "unborn"
    assert {
        c: (by_child[c]["_worker_how"], by_child[c]["_team_how"])
        for c in ("C01", "C05", "C15", "C21")
    } == {
        "C01": ("involvement", "involvement"),
        "C05": ("assessment", "assessment"),
        "C15": ("involvement", "involvement"),
        "C21": ("cin_plan", "cin_plan"),
    }


def test_list_6_2019_excludes_rc9_too(tmp_path):
    # Under 2019, RC9 renders as RC8 (D11): the RC9 episode is out all the same (D18); the
    # other rows are unchanged (RC3 and RC7 strings are the same in both versions).
    rows = build_lists(tmp_path, ROWS, A, version="2019", lists={6})[6]
    assert [published(r) for r in rows] == EXPECTED


def test_list_6_earlier_as_at_date(tmp_path):
    # As at 31/12/2025 (W6 from 30/06/2025). C01 (closed 30/12/2025) and C02 (closed 29/12/2025)
    # are both in and closed. C07: R07B starts after A, R07A open with its CIN plan -> c).
    # C09: no care-leaver record dated by A, so not on List 9 -> in; its CP plan ended 29/12/2025
    # -> c). C10: looked after at A (ceased 01/02/2026 is after A) -> a). C15: a) (CLA from
    # 01/09/2025). C16: CP plan starts after A; V3 care only -> c). C17: CP plan ends after A ->
    # b). C12: only R12OLD started by A. Referrals after 31/12/2025 are left out.
    rows = build_lists(tmp_path, ROWS, D(2025, 12, 31), lists={6})[6]
    assert [(r["_record_id"], r["cin_closure_date"], r["case_status"]) for r in rows] == [
        ("R01", D(2025, 12, 30), CLOSED),
        ("R02", D(2025, 12, 29), CLOSED),
        ("R03", None, CIN),
        ("R07A", None, CIN),
        ("R09", None, CIN),
        ("R10", None, LAC),
        ("R12OLD", None, CIN),
        ("R15", None, LAC),
        ("R16", None, CIN),
        ("R17", None, CP),
        ("R26", None, CIN),
    ]


def test_list_6_columns_in_order_then_hidden(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={6})[6]
    keys = list(rows[0])
    spec_keys = [c.key for c in reference.list_spec(6).columns]
    assert [k for k in keys if not k.startswith("_")] == spec_keys
    assert keys[len(spec_keys) : len(spec_keys) + 2] == ["_record_id", "_person_id"]
    assert len({r["_record_id"] for r in rows}) == len(rows)
