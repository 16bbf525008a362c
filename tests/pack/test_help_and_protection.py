"""Pack: help and protection indicators on a hand-built CMS. Every expected value is worked out
by hand from indicators.md §2 (definitions), §6.2-§6.5 (working days from the start day = day 0,
England and Wales bank holidays; months) and annex_a.md (list windows), not by running the SQL.

A = Tue 30/06/2026, so W6 = 30/12/2025 .. 30/06/2026 (both inclusive).
Bank holidays used (§6.5): 25, 26 Dec 2025; 1 Jan 2026; Good Friday 3 Apr and Easter Monday
6 Apr 2026; early May 4 May 2026.
"""

import datetime as dt

import pytest
from golden.cms import person

from annexa.pack.indicators import compare
from pack.build import build_connection, indicator

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)
W6_START = D(2025, 12, 30)


def _ref(rid, pid, day, nfa="N"):
    return {
        "cine_referral_id": rid,
        "cine_person_id": pid,
        "cine_referral_date": day,
        "cine_referral_nfa": nfa,
    }


def _asmt(aid, pid, start, auth=None, seen="Y", nfa="N"):
    return {
        "cina_assessment_id": aid,
        "cina_person_id": pid,
        "cina_referral_id": None,
        "cina_assessment_start_date": start,
        "cina_assessment_auth_date": auth,
        "cina_assessment_child_seen": seen,
        "cina_assessment_outcome_nfa": nfa,
    }


def _s47(sid, pid, start):
    return {"s47e_s47_enquiry_id": sid, "s47e_person_id": pid, "s47e_s47_start_date": start}


def _icpc(cid, pid, sid, day, cp="N"):
    return {
        "icpc_icpc_id": cid,
        "icpc_person_id": pid,
        "icpc_s47_enquiry_id": sid,
        "icpc_icpc_date": day,
        "icpc_icpc_outcome_cp_flag": cp,
    }


def _cpp(plid, pid, start, end=None):
    return {
        "cppl_cp_plan_id": plid,
        "cppl_person_id": pid,
        "cppl_cp_plan_start_date": start,
        "cppl_cp_plan_end_date": end,
        "cppl_cp_plan_initial_category": "NEG",
        "cppl_cp_plan_latest_category": "NEG",
    }


def _visit(vid, pid, plan, day, alone):
    return {
        "cppv_cp_visit_id": vid,
        "cppv_person_id": pid,
        "cppv_cp_plan_id": plan,
        "cppv_cp_visit_date": day,
        "cppv_cp_visit_seen": "Y",
        "cppv_cp_visit_seen_alone": alone,
    }


def _review(rid, pid, plan, day):
    return {
        "cppr_cp_review_id": rid,
        "cppr_person_id": pid,
        "cppr_cp_plan_id": plan,
        "cppr_cp_review_date": day,
    }


REFERRALS = [
    # R-P1: earlier referral 7 months before: a re-referral (Annex A and exact)
    _ref("R1a", "R1", D(2025, 7, 15)),
    _ref("R1b", "R1", D(2026, 2, 10)),
    # R-P2: earlier referral exactly 12 months before (31/03/2025 = 31/03/2026 - 12 months): in
    _ref("R2a", "R2", D(2025, 3, 31)),
    _ref("R2b", "R2", D(2026, 3, 31)),
    # R-P3: one day more than 12 months before: not a re-referral; NFA not recorded
    _ref("R3a", "R3", D(2025, 3, 30)),
    _ref("R3b", "R3", D(2026, 3, 31), nfa=None),
    # R-P4: two referrals in W6: Annex A col 9 = 1 on both rows, exact only the second
    _ref("R4a", "R4", D(2026, 1, 10)),
    _ref("R4b", "R4", D(2026, 5, 10)),
    # R-P5: a single referral, ended in NFA
    _ref("R5a", "R5", D(2026, 4, 1), nfa="Y"),
    # R-P6: two referrals on the same day: exact counts the higher id only
    _ref("R6a", "R6", D(2026, 4, 1)),
    _ref("R6b", "R6", D(2026, 4, 1)),
]

ASSESSMENTS = [
    # start Wed 24/12/2025: 25, 26 Dec and 1 Jan are holidays; day 45 = Mon 02/03/2026
    _asmt("AS1", "A1", D(2025, 12, 24), D(2026, 3, 2), seen="Y", nfa="N"),  # 45 WD: within
    _asmt("AS2", "A2", D(2025, 12, 24), D(2026, 3, 3), seen="N", nfa="Y"),  # 46 WD: outside
    # start Mon 02/03/2026, across Easter (3 and 6 Apr) and 4 May: day 45 = Thu 07/05/2026
    _asmt("AS3", "A3", D(2026, 3, 2), D(2026, 5, 7), seen="Y", nfa="N"),  # 45 WD: within
    _asmt("AS4", "A4", D(2026, 3, 2), D(2026, 5, 8), seen="Y", nfa="N"),  # 46 WD: outside
    _asmt("AS5", "A5", D(2026, 2, 10), D(2026, 2, 10), seen=None, nfa="Y"),  # 0 WD: within
    _asmt("AS6", "A6", D(2026, 2, 20), D(2026, 2, 19), seen="Y", nfa="N"),  # negative: error
    _asmt("AS7", "A7", D(2025, 12, 1), D(2025, 12, 29)),  # authorised before W6: not on L4
    _asmt("AS8", "A8", D(2026, 6, 1)),  # open: in neither part
    _asmt("AS9", "A9", D(2026, 6, 1), D(2026, 7, 1)),  # authorised after A: open
]

S47S = [
    # strategy discussion Wed 24/12/2025 (before W6, still open): day 15 = Mon 19/01/2026
    _s47("S1", "S1", D(2025, 12, 24)),
    _s47("S2", "S2", D(2025, 12, 24)),
    # Thu 26/03/2026 across Easter: day 15 = Mon 20/04/2026
    _s47("S3", "S3", D(2026, 3, 26)),
    _s47("S4", "S4", D(2026, 3, 26)),
    # ICPC the day before the S47 start: a data error, denominator only
    _s47("S5", "S5", D(2026, 3, 10)),
    # no ICPC yet
    _s47("S6", "S6", D(2026, 6, 1)),
    _s47("S7", "S7", D(2026, 6, 2)),
    _s47("S8", "S8", D(2026, 6, 3)),
]
ICPCS = [
    _icpc("C1", "S1", "S1", D(2026, 1, 19), cp="Y"),  # 15 WD: within
    _icpc("C2", "S2", "S2", D(2026, 1, 20), cp="Y"),  # 16 WD: outside
    _icpc("C3", "S3", "S3", D(2026, 4, 20), cp="Y"),  # 15 WD: within
    _icpc("C4", "S4", "S4", D(2026, 4, 21)),  # 16 WD: outside
    _icpc("C5", "S5", "S5", D(2026, 3, 9)),  # before the S47: -1 WD
]

CP_PLANS = [
    # HP13: plans ending in W6
    _cpp("CP1", "K1", D(2024, 1, 10), D(2026, 1, 10)),  # ends on the 2nd anniversary: 2+ years
    _cpp("CP2", "K2", D(2024, 1, 10), D(2026, 1, 9)),  # one day short
    _cpp("CP3", "K3", D(2024, 2, 29), D(2026, 2, 28)),  # 29 Feb start: anniversary 28 Feb
    _cpp("CP4", "K4", D(2025, 6, 1), D(2026, 3, 1)),
    _cpp("CP5", "K5", D(2025, 6, 1), D(2025, 12, 29)),  # ended before W6: not on List 7
    # HP12, HP11, HP14, HP15: plans open at A
    _cpp("CP6old", "K6", D(2020, 1, 1), D(2021, 1, 1)),  # K6's previous plan
    _cpp("CP6", "K6", D(2026, 2, 1)),
    _cpp("CP7", "K7", D(2026, 3, 1)),
    _cpp("CP8", "K8", D(2026, 4, 1)),
    _cpp("CP9", "K9", D(2025, 12, 29)),  # started the day before W6
]
CP_VISITS = [
    _visit("V6", "K6", "CP6", D(2026, 6, 16), "Y"),  # WD(16/06, 30/06) = 10: within
    _visit("V7", "K7", "CP7", D(2026, 6, 15), "N"),  # 11: outside
    _visit("V8", "K8", "CP8", D(2026, 6, 30), "Y"),  # 0: within
]
CP_REVIEWS = [
    _review("RV6", "K6", "CP6", D(2026, 4, 15)),
    _review("RV9", "K9", "CP9", D(2025, 12, 30)),  # exactly A - 6 months: not overdue
]

PEOPLE = sorted(
    {r["cine_person_id"] for r in REFERRALS}
    | {r["cina_person_id"] for r in ASSESSMENTS}
    | {r["s47e_person_id"] for r in S47S}
    | {r["cppl_person_id"] for r in CP_PLANS}
)

ROWS = {
    "ssd_person": [person(p) for p in PEOPLE],
    "ssd_cin_episodes": REFERRALS,
    "ssd_cin_assessments": ASSESSMENTS,
    "ssd_s47_enquiry": S47S,
    "ssd_initial_cp_conference": ICPCS,
    "ssd_cp_plans": CP_PLANS,
    "ssd_cp_visits": CP_VISITS,
    "ssd_cp_reviews": CP_REVIEWS,
}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = build_connection(tmp_path_factory.mktemp("hp"), ROWS, A)
    yield c
    c.close()


def _check(con, ind_id, numerator, denominator, value, start=W6_START, end=A):
    row = indicator(con, ind_id)
    assert row == {
        "indicator_id": ind_id,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "period_start": start,
        "period_end": end,
    }


def test_hp02_referrals_count_no_rate_without_population(con):
    # List 3 rows in W6: R1b, R2b, R3b, R4a, R4b, R5a, R6a, R6b = 8 (R1a, R2a, R3a before W6)
    _check(con, "HP02", 8.0, None, None)


def test_hp03_annex_a_approximation_overstates(con):
    # col 9 >= 1: R1b, R2b (12-month edge inclusive), R4a and R4b (anchored on R4b), R6a, R6b
    # = 6; R3b (12 months + 1 day) and R5a have 0. 6 / 8 = 75.0%
    _check(con, "HP03", 6.0, 8.0, 75.0)


def test_hp03x_exact_re_referrals(con):
    # R1b, R2b, R4b (R4a is earlier), R6b (same day, higher id than R6a) = 4; 4 / 8 = 50.0%
    _check(con, "HP03x", 4.0, 8.0, 50.0)


def test_hp04a_referral_nfa(con):
    # col 8 = a) Yes: R5a only (R3b blank counts in the denominator); 1 / 8 = 12.5%
    _check(con, "HP04a", 1.0, 8.0, 12.5)


def test_hp05_assessments_within_45_working_days(con):
    # authorised in W6: AS1..AS6 = 6 (AS7 before W6, AS8 open, AS9 after A: open)
    # within: AS1 (45 WD over Christmas), AS3 (45 WD over Easter and 4 May), AS5 (0) = 3;
    # AS2, AS4 take 46 WD; AS6 is authorised before its start (-1 WD: denominator only)
    # 3 / 6 = 50.0%
    _check(con, "HP05", 3.0, 6.0, 50.0)


def test_hp04b_assessed_not_in_need(con):
    # NFA Y -> col 10 b) No: AS2, AS5 = 2 of the 6 authorised in W6 = 33.3%
    _check(con, "HP04b", 2.0, 6.0, 33.3)


def test_hp06_child_seen(con):
    # seen = Y: AS1, AS3, AS4, AS6 = 4 (AS2 N, AS5 unknown) of 6 = 66.7%
    _check(con, "HP06", 4.0, 6.0, 66.7)


def test_hp07_s47_count(con):
    # S47 start in W6: S3, S4, S5, S6, S7, S8 = 6 (S1, S2 started 24/12/2025)
    _check(con, "HP07", 6.0, None, None)


def test_hp08_s47_to_icpc_ratio(con):
    # ICPCs in W6: C1..C5 = 5; S47 starts in W6: 6; 5 / 6 = 83.3%
    _check(con, "HP08", 5.0, 6.0, 83.3)


def test_hp09_icpc_within_15_working_days(con):
    # ICPCs in W6: 5; within 15 WD: C1 (Christmas, 15), C3 (Easter, 15) = 2; C2, C4 = 16;
    # C5 before its S47 stays in the denominator. 2 / 5 = 40.0%
    _check(con, "HP09", 2.0, 5.0, 40.0)


def test_hp10_icpc_resulting_in_plan(con):
    # ICPCs in W6 with outcome CP plan: C1, C2, C3 = 3 of 5 = 60.0%
    _check(con, "HP10", 3.0, 5.0, 60.0)


def test_hp11_children_on_plan_at_a(con):
    # open at A: K6 (CP6), K7, K8, K9 = 4
    _check(con, "HP11", 4.0, None, None, start=A)


def test_hp12_repeat_plans(con):
    # plans started in W6: CP6 (K6 had CP6old), CP7, CP8 = 3 (CP9 started 29/12/2025);
    # with a previous plan: CP6 = 1. 1 / 3 = 33.3%
    _check(con, "HP12", 1.0, 3.0, 33.3)


def test_hp13_plans_ending_after_two_years(con):
    # ended in W6: CP1, CP2, CP3, CP4 = 4 (CP5 ended before W6); on or after the second
    # anniversary: CP1 (10/01/2026), CP3 (29/02/2024 -> 28/02/2026) = 2. 2 / 4 = 50.0%
    _check(con, "HP13", 2.0, 4.0, 50.0)


def test_hp14_cp_reviews_in_time(con):
    # open at A and started on or before A - 3 months (30/03/2026): CP6, CP7, CP9 = 3 (CP8
    # started 01/04/2026). CP6 reviewed 15/04/2026: in time; CP7 no review and A after
    # 01/06/2026: overdue; CP9 reviewed 30/12/2025 = A - 6 months exactly: in time. 2 / 3
    _check(con, "HP14", 2.0, 3.0, 66.7, start=A)


def test_hp15a_cp_visits_within_10_working_days(con):
    # open at A for more than 10 WD: CP6, CP7, CP8, CP9 = 4; last visit within 10 WD of A:
    # CP6 (16/06, 10 WD), CP8 (30/06, 0) = 2; CP7 (15/06, 11 WD) and CP9 (no visit) not.
    _check(con, "HP15a", 2.0, 4.0, 50.0, start=A)


def test_hp15b_seen_alone(con):
    # open plans with a last visit: CP6, CP7, CP8 = 3; seen alone: CP6, CP8 = 2 -> 66.7%
    _check(con, "HP15b", 2.0, 3.0, 66.7, start=A)


def test_markers_follow_polarity():
    # HP05 (high): 50.0 against England 85.7 is worse; HP13 (low): 50.0 against 4.4 is worse
    assert compare(50.0, 85.7, "high") == "worse"
    assert compare(90.0, 85.7, "high") == "better"
    assert compare(3.0, 4.4, "low") == "better"
    assert compare(50.0, 4.4, "low") == "worse"
    # equal at one decimal place
    assert compare(85.71, 85.7, "high") == "same"
    # HP12 (band, lower bound 8.3): above England worse, below it better, under the bound warning
    assert compare(33.3, 16.6, "band", 8.3) == "worse"
    assert compare(10.0, 16.6, "band", 8.3) == "better"
    assert compare(5.0, 16.6, "band", 8.3) == "warning"
    # context: no judgement
    assert compare(83.3, 31.3, "context") == "higher"
    assert compare(6.2, 6.5, "context") == "lower"
    # nothing to compare
    assert compare(None, 4.4, "low") == "n/a"
    assert compare(3.0, None, "low") == "n/a"
