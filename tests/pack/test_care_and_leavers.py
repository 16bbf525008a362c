"""Pack: children-in-care and care-leaver indicators on a hand-built CMS. Expected values worked
out by hand from indicators.md §3, §4 and §6 (months clamped, working days from day 0).

A = Tue 30/06/2026: W6 = 30/12/2025 .. A; W12 = 30/06/2025 .. A; A - 6 months = 30/12/2025;
A - 12 months = 30/06/2025; A - 24 months = 30/06/2024; A - 30 months = 30/12/2023;
A - 42 days = 19/05/2026; the 20th working day before A is Tue 02/06/2026 (no bank holiday in
June 2026, so WD(02/06/2026, A) = 20 and WD(01/06/2026, A) = 21).
"""

import datetime as dt

import pytest
from golden.cms import person

from pack.build import build_connection, indicator, merge

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)
W12_START = D(2025, 6, 30)
ADULT_DOB = D(2015, 5, 1)  # 11 at A


def _ep(eid, pid, cla, start, rne="S", ceased=None, reason=None, iro=None):
    return {
        "clae_cla_episode_id": eid,
        "clae_person_id": pid,
        "clae_cla_id": cla,
        "clae_cla_episode_start_date": start,
        "clae_cla_episode_start_reason": rne,
        "clae_cla_primary_need_code": "N1",
        "clae_cla_episode_ceased_date": ceased,
        "clae_cla_episode_ceased_reason": reason,
        "clae_cla_last_iro_contact_date": iro,
        "clae_entered_care_date": None,
    }


def _plc(plid, pid, cla, start, end=None):
    return {
        "clap_cla_placement_id": plid,
        "clap_cla_id": cla,
        "clap_person_id": pid,
        "clap_cla_placement_start_date": start,
        "clap_cla_placement_end_date": end,
        "clap_cla_placement_type": "U4",
        "clap_cla_placement_provider": "PR1",
        "clap_cla_placement_postcode": "ZZ1 0ED",
    }


def _child(pid, start, *, dob=ADULT_DOB, ceased=None, moves=(), iro=None, placed=None):
    """One period P_<pid> from ``start``; ``moves`` = [(date, reason)] later episodes of the
    same period (each earlier episode ends X1 on that day); one placement from ``placed``
    (default: the period start); a legal status C2 over the period."""
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
                iro=iro if last else None,
            )
        )
    return {
        "ssd_person": [person(pid, dob)],
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
        "ssd_cla_placement": [_plc(f"PL_{pid}", pid, cla, placed or start)],
    }


def _review(rid, pid, day):
    return {
        "clar_cla_review_id": rid,
        "clar_cla_id": f"P_{pid}",
        "clar_cla_person_id": pid,
        "clar_cla_review_date": day,
        "clar_cla_review_cancelled": "N",
    }


def _health(hid, pid, kind, day):
    return {
        "clah_health_check_id": hid,
        "clah_person_id": pid,
        "clah_health_check_type": kind,
        "clah_health_check_date": day,
        "clah_health_check_status": "Completed",
    }


def _missing(mid, pid, day, kind="M"):
    return {
        "miss_table_id": mid,
        "miss_person_id": pid,
        "miss_missing_episode_start_date": day,
        "miss_missing_episode_end_date": day,
        "miss_missing_episode_type": kind,
    }


def _visit(vid, pid, day):
    return {
        "clav_cla_visit_id": vid,
        "clav_cla_id": f"P_{pid}",
        "clav_person_id": pid,
        "clav_cla_visit_date": day,
        "clav_cla_visit_seen": "Y",
    }


# L3 moved placement the day after A - 24 months: two placements, the second current
L3 = _child("L3", D(2020, 1, 1))
L3["ssd_cla_placement"] = [
    _plc("PL_L3a", "L3", "P_L3", D(2020, 1, 1), D(2024, 7, 1)),
    _plc("PL_L3b", "L3", "P_L3", D(2024, 7, 1)),
]

# L10: an earlier period open in W12 (ended 15/07/2025), then a new period from 01/10/2025
L10 = _child("L10", D(2025, 10, 1))
L10["ssd_cla_episodes"].append(
    _ep("E_L10_old", "L10", "P_L10old", D(2025, 1, 1), ceased=D(2025, 7, 15), reason="E13")
)
# L11: an earlier period that ended before W12 (29/06/2025), a new one from 01/09/2025
L11 = _child("L11", D(2025, 9, 1))
L11["ssd_cla_episodes"].append(
    _ep("E_L11_old", "L11", "P_L11old", D(2024, 1, 1), ceased=D(2025, 6, 29), reason="E13")
)


def _cw(iid, pid, prof, start):
    return {
        "invo_involvements_id": iid,
        "invo_person_id": pid,
        "invo_professional_id": prof,
        "invo_professional_role_id": "CW",
        "invo_involvement_start_date": start,
    }


# WF10: CW involvements (a change = a new professional after an earlier CW involvement)
WORKERS = [
    # L1: W2, W3, W4 in W12 = 3 changes
    _cw("I1a", "L1", "W1", D(2025, 1, 1)),
    _cw("I1b", "L1", "W2", D(2025, 8, 1)),
    _cw("I1c", "L1", "W3", D(2025, 11, 1)),
    _cw("I1d", "L1", "W4", D(2026, 2, 1)),
    # L2: first involvement 29/06/2025 is an allocation, then 2 changes
    _cw("I2a", "L2", "W1", D(2025, 6, 29)),
    _cw("I2b", "L2", "W2", D(2025, 7, 1)),
    _cw("I2c", "L2", "W3", D(2026, 1, 1)),
    # L3: a change the day before W12 (not counted), then 2 changes
    _cw("I3a", "L3", "W1", D(2024, 1, 1)),
    _cw("I3b", "L3", "W2", D(2025, 6, 29)),
    _cw("I3c", "L3", "W3", D(2025, 9, 1)),
    _cw("I3d", "L3", "W4", D(2026, 1, 1)),
    # L4: a change on W12's first day (counted) + 2 = 3
    _cw("I4a", "L4", "W1", D(2024, 1, 1)),
    _cw("I4b", "L4", "W2", D(2025, 6, 30)),
    _cw("I4c", "L4", "W3", D(2025, 9, 1)),
    _cw("I4d", "L4", "W4", D(2026, 1, 1)),
    # L5: the same worker re-allocated is not a change: W2, (W2), W3 = 2
    _cw("I5a", "L5", "W1", D(2024, 1, 1)),
    _cw("I5b", "L5", "W2", D(2025, 7, 1)),
    _cw("I5c", "L5", "W2", D(2025, 9, 1)),
    _cw("I5d", "L5", "W3", D(2026, 1, 1)),
]

CARE = merge(
    _child("L1", D(2023, 12, 30), iro=D(2025, 12, 30)),  # exactly A - 30 months; IRO edge in
    _child("L2", D(2023, 12, 31), iro=D(2025, 12, 29)),  # one day short of 2.5 years; IRO out
    L3,
    _child("L4", D(2020, 1, 1), dob=D(2010, 7, 1), placed=D(2024, 6, 30)),  # 15 at A
    _child("L5", D(2020, 1, 1), dob=D(2010, 6, 30)),  # 16 on A: outside CIC03
    _child("L6", D(2025, 1, 1), ceased=D(2026, 3, 1)),  # ceased in W6: on List 8, not at A
    # CIC02: S, P, P in W12 = 3 placements; S, P, T = 2 (T is the same carer)
    _child("L7", D(2025, 8, 1), moves=[(D(2025, 10, 1), "P"), (D(2026, 1, 1), "P")]),
    _child("L8", D(2025, 8, 1), moves=[(D(2025, 10, 1), "P"), (D(2026, 1, 1), "T")]),
    # open on W12's first day (1) + two moves in W12 = 3; under 5 at A
    _child(
        "L9", D(2024, 1, 1), dob=D(2022, 1, 1), moves=[(D(2025, 9, 1), "P"), (D(2026, 2, 1), "P")]
    ),
    L10,
    L11,
    _child("L12", D(2026, 6, 2)),  # 20 WD before A, no review: in time
    _child("L13", D(2026, 6, 1)),  # 21 WD before A, no review: overdue
    {
        "ssd_cla_reviews": [
            _review("RL1", "L1", D(2026, 1, 15)),
            _review("RL2", "L2", D(2025, 12, 29)),
            _review("RL3", "L3", D(2025, 12, 30)),
            _review("RL5", "L5", D(2026, 3, 1)),
            _review("RL7", "L7", D(2026, 5, 1)),
            _review("RL8", "L8", D(2026, 4, 1)),
            _review("RL9", "L9", D(2026, 6, 1)),
            _review("RL11", "L11", D(2026, 2, 1)),
        ],
        "ssd_cla_health": [
            _health("H1", "L1", "HEALTH", D(2025, 6, 30)),  # exactly A - 12 months: in date
            _health("H2", "L2", "HEALTH", D(2025, 6, 29)),  # a day older: out
            _health("H4", "L4", "HEALTH", D(2026, 1, 1)),
            _health("H5", "L5", "HEALTH", D(2026, 1, 1)),
            _health("H9", "L9", "HEALTH", D(2025, 12, 29)),  # under 5: older than A - 6 months
            _health("D1", "L1", "DENTAL", D(2025, 7, 1)),
            _health("D9", "L9", "DENTAL", D(2025, 12, 29)),  # dental: 12 months at any age
        ],
        "ssd_missing": [
            _missing("M1", "L1", D(2025, 8, 1)),
            _missing("M2", "L2", D(2025, 6, 29)),  # before W12
            _missing("M3", "L3", D(2026, 1, 1), kind="A"),  # absent, not missing
            _missing("M6", "L6", D(2026, 1, 15)),
        ],
        "ssd_cla_visits": [
            _visit("V1", "L1", D(2026, 5, 19)),  # A - 42 days: in date
            _visit("V2", "L2", D(2026, 5, 18)),
        ],  # 43 days: out
        "ssd_involvements": WORKERS,
    },
)


def _cl(tid, pid, touch, suit=None, act=None, plan=None, pa=None):
    return {
        "clea_table_id": tid,
        "clea_person_id": pid,
        "clea_care_leaver_eligibility": "FORMER_RELEVANT",
        "clea_care_leaver_in_touch": touch,
        "clea_care_leaver_latest_contact": D(2026, 6, 1),
        "clea_care_leaver_accommodation": "U" if touch == "YES" else None,
        "clea_care_leaver_accom_suitable": suit,
        "clea_care_leaver_activity": act,
        "clea_pathway_plan_review_date": plan,
        "clea_care_leaver_personal_advisor": pa,
    }


LEAVERS = {
    "ssd_person": [
        person("Y18", D(2007, 7, 1)),  # 18 at A: outside 19-21
        person("Y19", D(2007, 6, 30)),  # 19 on A
        person("Y20", D(2006, 1, 1)),
        person("Y21", D(2004, 7, 1)),  # 21 at A
        person("Y21b", D(2005, 1, 1)),
        person("Y22", D(2004, 6, 30)),  # 22 on A: outside 19-21
    ],
    "ssd_professionals": [{"prof_professional_id": "PA1", "prof_professional_name": "Pat Ad"}],
    "ssd_care_leavers": [
        _cl("T18", "Y18", "YES", "1", "F1", plan=D(2025, 12, 30), pa="PA1"),
        _cl("T19", "Y19", "YES", "1", "F3", plan=D(2025, 12, 29), pa="PA1"),
        _cl("T20", "Y20", "YES", "2", "G5", plan=D(2026, 6, 1)),
        _cl("T21", "Y21", "NO"),
        _cl("T21b", "Y21b", "YES", "1", "P4"),
        _cl("T22", "Y22", "YES", "1", "F1", pa="PA1"),
    ],
}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    c = build_connection(tmp_path_factory.mktemp("cic"), merge(CARE, LEAVERS), A)
    yield c
    c.close()


def _check(con, ind_id, numerator, denominator, value, start=A):
    assert indicator(con, ind_id) == {
        "indicator_id": ind_id,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "period_start": start,
        "period_end": A,
    }


def test_cic01_looked_after_at_a(con):
    # L1-L5, L7-L13 = 12 (L6 ceased 01/03/2026)
    _check(con, "CIC01", 12.0, None, None)


def test_cic02_three_or_more_placements(con):
    # at A: 12; col 19 >= 3: L7 (S, P, P), L9 (open at W12 start + P, P) = 2 (L8: S, P, T = 2)
    # 2 / 12 = 16.7%
    _check(con, "CIC02", 2.0, 12.0, 16.7, start=W12_START)


def test_cic03_long_term_stability(con):
    # at A, under 16, looked after since 30/12/2023 or earlier: L1 (edge), L3, L4 = 3 (L2 one
    # day short; L5 is 16); same placement since 30/06/2024 or earlier: L1, L4 (edge) = 2
    # (L3 moved 01/07/2024). 2 / 3 = 66.7%
    _check(con, "CIC03", 2.0, 3.0, 66.7)


def test_cic04_missing(con):
    # List 8 rows: the 12 at A + L6 = 13; missing in W12: L1, L6 = 2 (L2 before W12, L3 absent)
    # 2 / 13 = 15.4%
    _check(con, "CIC04", 2.0, 13.0, 15.4, start=W12_START)


def test_cic05a_health_assessments(con):
    # at A and looked after since 30/06/2025 or earlier: L1, L2, L3, L4, L5, L9 = 6;
    # in date: L1 (30/06/2025 edge), L4, L5 = 3 (L2 a day old; L3 none; L9 under 5 with a
    # check before 30/12/2025). 3 / 6 = 50.0%
    _check(con, "CIC05a", 3.0, 6.0, 50.0)


def test_cic05b_dental_checks(con):
    # same 6; dental on or after 30/06/2025: L1, L9 = 2 -> 33.3%
    _check(con, "CIC05b", 2.0, 6.0, 33.3)


def test_cic06_reviews_in_time(con):
    # at A: 12. Overdue: L2 (latest review 29/12/2025, before A - 6 months), L4 (no review,
    # long looked after), L10 (no review since 01/10/2025), L13 (no review, 21 WD) = 4;
    # in time: L1, L3 (review on A - 6 months), L5, L7, L8, L9, L11, L12 (20 WD) = 8 -> 66.7%
    _check(con, "CIC06", 8.0, 12.0, 66.7)


def test_cic07a_visits_within_42_days(con):
    # at A: 12; visit on or after 19/05/2026: L1 only (L2 on 18/05). 1 / 12 = 8.3%
    _check(con, "CIC07a", 1.0, 12.0, 8.3)


def test_cic07b_iro_contact(con):
    # at A: 12; IRO contact on or after 30/12/2025: L1 only (L2 on 29/12). 1 / 12 = 8.3%
    _check(con, "CIC07b", 1.0, 12.0, 8.3)


def test_cic09_subsequent_period(con):
    # started in W12: L7, L8, L10, L11, L12, L13 = 6; an earlier period open in W12: L10 = 1
    # (L11's ended 29/06/2025). 1 / 6 = 16.7%
    _check(con, "CIC09", 1.0, 6.0, 16.7, start=W12_START)


def test_cl01_in_touch_19_to_21(con):
    # aged 19-21 at A: Y19, Y20, Y21, Y21b = 4 (Y18 18, Y22 22); in touch: Y19, Y20, Y21b = 3
    _check(con, "CL01", 3.0, 4.0, 75.0)


def test_cl02_eet_19_to_21(con):
    # F3 (Y19), P4 (Y21b) = 2; G5 (Y20) and not in touch (Y21) are not. 2 / 4 = 50.0%
    _check(con, "CL02", 2.0, 4.0, 50.0)


def test_cl03_suitable_accommodation_19_to_21(con):
    # suitable: Y19, Y21b = 2 (Y20 unsuitable, Y21 nothing recorded). 2 / 4 = 50.0%
    _check(con, "CL03", 2.0, 4.0, 50.0)


def test_cl04a_pathway_plan_in_date(con):
    # all 6 care leavers; review on or after 30/12/2025: Y18 (edge), Y20 = 2 -> 33.3%
    _check(con, "CL04a", 2.0, 6.0, 33.3)


def test_cl04b_personal_adviser(con):
    # adviser recorded: Y18, Y19, Y22 = 3 of 6 = 50.0%
    _check(con, "CL04b", 3.0, 6.0, 50.0)


def test_wf10_social_worker_changes(con):
    # looked after at A: 12; 3 or more changes in W12: L1 (3), L4 (3, one on W12's first day)
    # = 2 (L2, L3, L5: 2 each). 2 / 12 = 16.7%
    _check(con, "WF10", 2.0, 12.0, 16.7, start=W12_START)
