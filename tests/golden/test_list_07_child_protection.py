"""Golden: List 7 Child protection. Expected rows worked out by hand from annex_a.md §3 (§3.1,
§3.2, §3.3, §3.7, §3.10), §4.10, §5 List 7, D1-D3, D5, D20, D26 and source_contract.md §5.8
and §6.4."""

import datetime as dt

import pytest

from annexa import reference
from golden.cms import build_lists, person, published

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)  # W6 starts 30/12/2025 (annex_a.md §3.1)


def _cpp(plid, pid, start, end=None, ola=None, initial="NEG", latest="NEG", rid=None):
    return {
        "cppl_cp_plan_id": plid,
        "cppl_person_id": pid,
        "cppl_referral_id": rid,
        "cppl_cp_plan_start_date": start,
        "cppl_cp_plan_end_date": end,
        "cppl_cp_plan_ola": ola,
        "cppl_cp_plan_initial_category": initial,
        "cppl_cp_plan_latest_category": latest,
    }


def _cppv(vid, pid, plan, day, alone, seen="Y"):
    return {
        "cppv_cp_visit_id": vid,
        "cppv_person_id": pid,
        "cppv_cp_plan_id": plan,
        "cppv_cp_visit_date": day,
        "cppv_cp_visit_seen": seen,
        "cppv_cp_visit_seen_alone": alone,
    }


def _cppr(rid, pid, plan, day):
    return {
        "cppr_cp_review_id": rid,
        "cppr_person_id": pid,
        "cppr_cp_plan_id": plan,
        "cppr_cp_review_date": day,
    }


def _lega(lid, pid, code, start, end=None):
    return {
        "lega_legal_status_id": lid,
        "lega_person_id": pid,
        "lega_legal_status": code,
        "lega_legal_status_start_date": start,
        "lega_legal_status_end_date": end,
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


ROWS = {
    "ssd_person": [
        *(
            person(p)
            for p in (
                "K01",
                "K02",
                "K03",
                "K04",
                "K05",
                "K06",
                "K07",
                "K08",
                "K09",
                "K10",
                "K11",
                "K12",
                "K13",
                "K14",
                "K15",
                "K16",
                "K17",
            )
        ),
        # unborn: no date of birth, expected after A; gender not recorded
        person("K19", None, pers_expected_dob=D(2026, 9, 1), pers_gender=None),
    ],
    "ssd_professionals": [
        {"prof_professional_id": "W1", "prof_professional_name": "Alice Smith"},
        {"prof_professional_id": "W2", "prof_professional_name": "Bob Jones"},
    ],
    "ssd_department": [
        {"dept_team_id": "T1", "dept_team_name": "Team One"},
        {"dept_team_id": "T2", "dept_team_name": "Front Door"},
    ],
    "ssd_cp_plans": [
        _cpp("P01", "K01", D(2025, 3, 1), D(2025, 12, 30)),  # ended on W6 start: in
        _cpp("P02", "K02", D(2025, 3, 1), D(2025, 12, 29)),  # ended the day before: out
        _cpp("P03", "K03", D(2026, 1, 20), D(2026, 6, 30), rid="RK03"),  # ended on A (D2)
        _cpp("P04", "K04", D(2026, 2, 1), D(2026, 7, 15)),  # ends after A: open (D3)
        _cpp("P05", "K05", D(2026, 7, 1)),  # starts after A: out
        _cpp("P06", "K06", D(2026, 1, 1), ola="Y"),  # other LA's plan: out
        _cpp("P07", "K07", D(2026, 1, 10)),
        _cpp("P07OLA", "K07", D(2026, 3, 1), ola="Y"),  # later, but other LA's
        _cpp("P08A", "K08", D(2023, 1, 1), D(2023, 6, 1)),
        _cpp("P08B", "K08", D(2024, 2, 1), D(2024, 8, 1)),  # repeat plan
        _cpp("P08OLA", "K08", D(2024, 10, 1), D(2024, 11, 1), ola="Y"),
        _cpp("P08", "K08", D(2026, 2, 1)),
        _cpp("P08F", "K08", D(2026, 8, 1)),  # after A
        _cpp("20", "K09", D(2026, 1, 15)),  # tie: open wins
        _cpp("100", "K09", D(2026, 1, 15), D(2026, 3, 1)),
        _cpp("9", "K10", D(2026, 1, 5), D(2026, 2, 1)),
        _cpp("10", "K10", D(2026, 1, 5), D(2026, 3, 1)),  # tie: higher id wins
        _cpp("P11", "K11", D(2026, 1, 1), initial="PHY", latest=None),
        _cpp("P12", "K12", D(2026, 1, 1), initial="NEG", latest="MUL"),
        _cpp("P13OLD", "K13", D(2024, 1, 1), D(2024, 6, 1)),
        _cpp("P13", "K13", D(2026, 1, 1)),
        _cpp("P14", "K14", D(2026, 3, 1)),
        _cpp("P15", "K15", D(2025, 11, 1)),
        _cpp("P16", "K16", D(2026, 1, 1)),
        _cpp("P17", "K17", D(2026, 1, 1)),
        _cpp("P19", "K19", D(2026, 6, 1), initial="EMO", latest="EMO"),
        _cpp("PX", "KX", D(2026, 1, 1)),  # orphan: no such person
    ],
    "ssd_cp_visits": [
        _cppv("V01A", "K01", "P01", D(2025, 12, 30), "Y"),  # on the plan end day
        _cppv("V01B", "K01", "P01", D(2026, 1, 3), "N"),  # after the plan end
        _cppv("V04A", "K04", "P04", D(2026, 6, 10), "N"),
        _cppv("V04B", "K04", "P04", D(2026, 7, 1), "Y"),  # after A
        _cppv("V13A", "K13", "P13", D(2026, 5, 1), "Y"),
        _cppv("V13B", "K13", None, D(2026, 6, 15), None),  # no plan id: person and date
        _cppv("V13C", "K13", "P13OLD", D(2026, 6, 20), "Y"),  # names another plan
    ],
    "ssd_cp_reviews": [
        _cppr("RV01", "K01", "P01", D(2025, 10, 1)),
        _cppr("RV04A", "K04", "P04", D(2026, 4, 10)),
        _cppr("RV04B", "K04", "P04", D(2026, 7, 2)),  # after A
        _cppr("RV15A", "K15", "P15", D(2026, 3, 1)),
        _cppr("RV15B", "K15", None, D(2026, 5, 15)),  # person and date, within plan
        _cppr("RV15C", "K15", "P15", D(2026, 7, 20)),  # after A
        _cppr("RV15D", "K15", None, D(2025, 10, 1)),  # before the plan
    ],
    "ssd_legal_status": [
        _lega("L16", "K16", "L2", D(2025, 12, 20), D(2025, 12, 30)),  # EPO to W6 start
        _lega("L17A", "K17", "L1", D(2025, 12, 1), D(2025, 12, 29)),  # ended day before W6
        _lega("L17B", "K17", "L2", D(2026, 7, 1)),  # starts after A
        _lega("L17C", "K17", "C1", D(2026, 1, 5)),  # not L1/L2
    ],
    "ssd_involvements": [
        _invo("I1", "K08", "W1", "T1", D(2025, 1, 1)),  # open at A
        _invo("I2", "K01", "W2", "T2", D(2025, 1, 1), D(2025, 12, 30)),  # ended at plan end
        _invo("I3", "K01", "W1", "T1", D(2026, 1, 5)),  # after the plan
        _invo("I4", "K03", "W1", "T1", D(2026, 1, 1), rid="ROTHER"),
        _invo("I5", "K03", "W2", "T2", D(2025, 6, 1), rid="RK03"),  # the plan's episode
    ],
}

BASE = {
    "gender": "b) Female",
    "ethnicity": "a) WBRI",
    "date_of_birth": D(2015, 5, 1),
    "age": 11,
    "disability": "c) Unknown",
}
NEG, PHY, EMO, MUL = (
    "a) Neglect",
    "b) Physical abuse",
    "d) Emotional abuse",
    "e) Multiple/not recommended",
)
YES, NO, UNK = "a) Yes", "b) No", "c) Unknown"


def _row(
    cid,
    start,
    initial=NEG,
    latest=NEG,
    visit=None,
    alone=None,
    review=None,
    end=None,
    epo=NO,
    previous=0,
    team=None,
    worker=None,
    **child,
):
    return {
        "child_unique_id": cid,
        **BASE,
        **child,
        "cp_plan_start_date": start,
        "initial_category_of_abuse": initial,
        "latest_category_of_abuse": latest,
        "date_last_statutory_visit": visit,
        "child_seen_alone": alone,
        "date_latest_review_conference": review,
        "cp_plan_end_date": end,
        "epo_or_police_protection_last_6_months": epo,
        "previous_cp_plans": previous,
        "allocated_team": team,
        "allocated_worker": worker,
    }


EXPECTED = [
    # ended on the first day of W6 (D1): in. Visit on the end day counts, the one after it is
    # outside the plan. Worker at plan end: I2 (latest started on or before the end), not I3.
    _row(
        "K01",
        D(2025, 3, 1),
        visit=D(2025, 12, 30),
        alone=YES,
        review=D(2025, 10, 1),
        end=D(2025, 12, 30),
        team="Front Door",
        worker="Bob Jones",
    ),
    # K02 ended the day before W6: out.
    # ended on A: shown as ended (D2). No visit, no review: blank. Two involvements started by
    # the end: I5 names the plan's episode, so it wins over the later-starting I4.
    _row("K03", D(2026, 1, 20), end=D(2026, 6, 30), team="Front Door", worker="Bob Jones"),
    # ends after A: end blank (D3); the visit and review after A do not count
    _row("K04", D(2026, 2, 1), visit=D(2026, 6, 10), alone=NO, review=D(2026, 4, 10)),
    # K05 starts after A, K06 only has another LA's plan: out.
    # the later plan is another LA's: this LA's plan is the row
    _row("K07", D(2026, 1, 10)),
    # latest plan P08 (P08F starts after A). Previous: P08A and the repeat P08B; not the other
    # LA's P08OLA -> 2. Worker from the CW involvement open at A.
    _row("K08", D(2026, 2, 1), previous=2, team="Team One", worker="Alice Smith"),
    # same start: the open plan "20" wins over the closed "100"
    _row("K09", D(2026, 1, 15)),
    # same start, both closed: "10" > "9" as numbers; "9" started the same day: not previous
    _row("K10", D(2026, 1, 5), end=D(2026, 3, 1)),
    # no latest category: the initial one
    _row("K11", D(2026, 1, 1), initial=PHY, latest=PHY),
    # latest category MUL -> e)
    _row("K12", D(2026, 1, 1), latest=MUL),
    # latest visit: V13B (no plan id, the child's, within the plan) on 15/06, seen alone not
    # recorded -> c) Unknown; V13C names the old plan: not this plan's. One previous plan.
    _row("K13", D(2026, 1, 1), visit=D(2026, 6, 15), alone=UNK, previous=1),
    # no visit, no review: blank
    _row("K14", D(2026, 3, 1)),
    # reviews: plan's 01/03, person-linked 15/05 within the plan -> 15/05; 20/07 is after A
    _row("K15", D(2025, 11, 1), review=D(2026, 5, 15)),
    # EPO (L2) ending on the first day of W6 overlaps W6 -> a) Yes
    _row("K16", D(2026, 1, 1), epo=YES),
    # police protection ended the day before W6, EPO starts after A, C1 is neither -> b) No
    _row("K17", D(2026, 1, 1)),
    # unborn (D5): age -1, date of birth = expected date, gender not recorded
    _row(
        "K19",
        D(2026, 6, 1),
        initial=EMO,
        latest=EMO,
        gender="c) Not stated/recorded",
        date_of_birth=D(2026, 9, 1),
        age=-1,
    ),
]

RECORD_IDS = [
    "P01",
    "P03",
    "P04",
    "P07",
    "P08",
    "20",
    "10",
    "P11",
    "P12",
    "P13",
    "P14",
    "P15",
    "P16",
    "P17",
    "P19",
]


def test_list_7_scope_selection_visits_reviews_epo_and_previous(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={7})[7]
    assert [published(r) for r in rows] == EXPECTED
    assert [r["_record_id"] for r in rows] == RECORD_IDS
    assert [r["_person_id"] for r in rows] == [r["child_unique_id"] for r in EXPECTED]
    by_child = {r["child_unique_id"]: r for r in rows}
    assert {c: by_child[c]["_visit_id"] for c in ("K01", "K04", "K13", "K14")} == {
        "K01": "V01A",
        "K04": "V04A",
        "K13": "V13B",
        "K14": None,
    }
    assert by_child["K19"]["_dob_basis"] == "unborn"
    assert {
        c: (by_child[c]["_worker_how"], by_child[c]["_team_how"]) for c in ("K01", "K03", "K08")
    } == {c: ("involvement", "involvement") for c in ("K01", "K03", "K08")}


def test_list_7_earlier_as_at_date(tmp_path):
    # As at 31/12/2025 (W6 from 30/06/2025): P01 and P02 ended in W6 (30/12 and 29/12). K08's
    # plans started by A (P08A, P08B, P08OLA) all ended before W6: out; so did K13's P13OLD.
    # K15's P15 is open; every other plan starts after 31/12/2025 and is left out.
    rows = build_lists(tmp_path, ROWS, D(2025, 12, 31), lists={7})[7]
    assert [
        (r["_record_id"], r["cp_plan_end_date"], r["date_latest_review_conference"]) for r in rows
    ] == [
        ("P01", D(2025, 12, 30), D(2025, 10, 1)),
        ("P02", D(2025, 12, 29), None),
        ("P15", None, None),  # RV15D (01/10/2025) is before the plan, the others after A
    ]


def test_list_7_columns_in_order_then_hidden(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={7})[7]
    keys = list(rows[0])
    spec_keys = [c.key for c in reference.list_spec(7).columns]
    assert [k for k in keys if not k.startswith("_")] == spec_keys
    assert keys[len(spec_keys) : len(spec_keys) + 2] == ["_record_id", "_person_id"]
    assert len({r["_record_id"] for r in rows}) == len(rows)
