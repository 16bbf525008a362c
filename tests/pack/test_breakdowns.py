"""Golden: the ChAT-style list views (annexa.pack.breakdowns, issue 12.2) on a hand-built CMS.

Four children, four assessments, three CIN referrals, built for real (SQLite CMS -> extract ->
DuckDB -> list Parquet, rendered as the published CSVs are); the expected volumes, working-day
bins, age bands, teams and caseloads are worked out by hand below (working days: England and
Wales bank holidays 2026: Good Friday 3 April, Easter Monday 6 April, 4 May, 25 May)."""

from __future__ import annotations

import datetime as dt

import pytest
from golden.cms import make_cms, person

from annexa.core.dates import Windows
from annexa.pack.breakdowns import breakdowns
from annexa.pack.charts import list_views
from annexa.source.extract import extract
from annexa.transform.mapping import Mapping
from annexa.transform.runner import build

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)  # W6 starts 30/12/2025


def _asmt(aid, pid, start, auth=None, team=None, worker=None):
    return {
        "cina_assessment_id": aid,
        "cina_person_id": pid,
        "cina_referral_id": "R" + pid,
        "cina_assessment_start_date": start,
        "cina_assessment_auth_date": auth,
        "cina_assessment_child_seen": "Y",
        "cina_assessment_outcome_nfa": "N",
        "cina_assessment_team": team,
        "cina_assessment_worker_id": worker,
    }


def _ref(rid, pid, start, close=None):
    return {
        "cine_referral_id": rid,
        "cine_person_id": pid,
        "cine_referral_date": start,
        "cine_referral_nfa": "N",
        "cine_cin_primary_need_code": "N1",
        "cine_close_date": close,
        "cine_close_reason": "RC1" if close else None,
        "cine_referral_source_code": "1A",
        "cine_referral_team": "T1",
        "cine_referral_worker_id": "W1",
    }


ROWS = {
    # P1 girl aged 10-11 in W6, P2 boy aged 4, P3 girl aged 16, P4 boy aged 0
    "ssd_person": [
        person("P1", D(2015, 5, 1)),
        person("P2", D(2022, 1, 10), pers_gender="M", pers_ethnicity="BAFR"),
        person("P3", D(2010, 1, 1)),
        person("P4", D(2026, 1, 2), pers_gender="M"),
    ],
    "ssd_professionals": [
        {
            "prof_professional_id": "W1",
            "prof_staff_id": "S1",
            "prof_professional_name": "Alice Smith",
        },
        {
            "prof_professional_id": "W2",
            "prof_staff_id": "S2",
            "prof_professional_name": "Bob Jones",
        },
    ],
    "ssd_department": [
        {"dept_team_id": "T1", "dept_team_name": "Assessment Team 1"},
        {"dept_team_id": "T2", "dept_team_name": "Front Door"},
    ],
    "ssd_cin_assessments": [
        # Mon 05/01 -> Mon 19/01: 10 WD (bin 0-10, within 45)
        _asmt("AS1", "P1", D(2026, 1, 5), D(2026, 1, 19), "T1", "W1"),
        # Mon 02/02 -> Fri 10/04: 4 + 39 (8 weeks less Good Friday) + 4 (less Easter Monday)
        # = 47 WD (bin 46-60, over 45)
        _asmt("AS2", "P1", D(2026, 2, 2), D(2026, 4, 10), "T1", "W1"),
        # open at A
        _asmt("AS3", "P2", D(2026, 3, 2), None, "T2", "W2"),
        # Fri 01/05 -> Tue 30/06: 4 + 5 + 5 + 4 + 5 + 5 + 5 + 5 + 2 = 40 WD (bin 31-40, within)
        _asmt("AS4", "P3", D(2026, 5, 1), D(2026, 6, 30), "T2", "W2"),
    ],
    "ssd_cin_episodes": [
        _ref("RP1", "P1", D(2025, 12, 15)),  # open at A
        _ref("RP2", "P2", D(2026, 2, 20)),  # open at A
        _ref("RP3", "P3", D(2026, 4, 1), D(2026, 5, 15)),  # closed in W6
    ],
}


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    folder = tmp_path_factory.mktemp("breakdowns")
    snap = extract(make_cms(folder / "cms", ROWS), folder / "snapshot")
    result = build(
        snap, folder / "work", Windows.for_date(A), la_code="999", la_name="S", mapping=Mapping()
    )
    return breakdowns(result.lists, A), result


def view(views, number):
    return next(v for v in views[0]["lists"] if v["list"] == number)


def test_assessment_volumes_timeliness_and_breakdowns(views):
    v = view(views, 4)
    assert v["rows"] == 4
    # W6's calendar months, December 2025 to June 2026, by assessment start
    assert v["volumes"] == [
        ["2025-12", 0],
        ["2026-01", 1],
        ["2026-02", 1],
        ["2026-03", 1],
        ["2026-04", 0],
        ["2026-05", 1],
        ["2026-06", 0],
    ]
    t = v["timeliness"]
    assert (t["standard"], t["completed"], t["within"], t["open"]) == (45, 3, 2, 1)
    assert dict(t["bins"]) == {
        "0-10": 1,
        "11-20": 0,
        "21-30": 0,
        "31-40": 1,
        "41-45": 0,
        "46-60": 1,
        "61-90": 0,
        "91+": 0,
    }
    b = v["breakdowns"]
    # ages at A: P1 11 (twice), P2 4, P3 16
    assert b["age band"] == [
        ["Under 1", 0],
        ["1-4", 1],
        ["5-9", 0],
        ["10-15", 2],
        ["16-17", 1],
        ["18+", 0],
    ]
    gender = {label.split(") ")[-1]: n for label, n in b["gender"]}
    assert gender == {"Female": 3, "Male": 1}
    assert {label.split(") ")[-1]: n for label, n in b["ethnicity"]} == {"WBRI": 3, "BAFR": 1}
    assert b["team"] == [["Assessment Team 1", 2], ["Front Door", 2]]


def test_caseloads_and_unallocated(views):
    lists6 = view(views, 6)
    # List 6: the three episodes (P3's closed in W6); P1 and P2 open
    assert lists6["rows"] == 3 and lists6["open"] == 2
    # the List 6 worker and team are the child's latest assessment's (AS2 W1/T1 for P1, AS3
    # W2/T2 for P2); P3 is closed, so not on Bob Jones's caseload; largest first, then by name
    assert views[0]["caseloads"] == [
        {
            "worker": "Alice Smith",
            "team": "Assessment Team 1",
            "by_list": {"6": 1, "7": 0, "8": 0, "9": 0},
            "children": 1,
        },
        {
            "worker": "Bob Jones",
            "team": "Front Door",
            "by_list": {"6": 1, "7": 0, "8": 0, "9": 0},
            "children": 1,
        },
    ]
    assert views[0]["unallocated"] == {"6": 0, "7": 0, "8": 0, "9": 0}


def test_suppression_in_the_aggregate_view(views):
    agg = list_views(views[0], threshold=2)
    v = next(x for x in agg["lists"] if x["list"] == 4)
    # counts below 2 show [c] and draw no bar; 2 and more are shown
    ages = {
        r["label"]: (r["text"], r["len"])
        for b in v["breakdowns"]
        if b["name"] == "age band"
        for r in b["rows"]
    }
    assert ages["10-15"][0] == "2" and float(ages["10-15"][1]) > 0
    assert ages["1-4"] == ("[c]", "0.0") and ages["16-17"] == ("[c]", "0.0")
    bars = {b["label"]: b for b in v["timeliness"]["chart"]["bars"]}
    assert bars["0-10"]["suppressed"] and bars["0-10"]["bh"] == "0.0"
    assert v["timeliness"]["share"] == "66.7%"  # 2 of 3: neither below 2
    assert agg["caseloads"] is None  # named workers: full pack only
    full = list_views(views[0], threshold=None)
    f4 = next(x for x in full["lists"] if x["list"] == 4)
    assert f4["timeliness"]["within"] == "2" and f4["timeliness"]["share"] == "66.7%"
