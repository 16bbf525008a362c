"""Golden: the statutory returns (docs/statutory_returns.md). Expected rows worked out by hand.

Reference date A = 31/03/2026, so the 2025/26 census year runs 01/04/2025 to 31/03/2026.
CIN: which CIN episodes, assessments, plans and reviews fall in the year, and what of them is
blank because it happens after A. 903: episodes split where the legal status or the placement
changes (RNE S/L/P/B/T), the 31 March boundary on both sides, episodes that ended before the year,
missing episodes, UASC with its date ceased.
"""

import csv
import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from annexa.returns.build import build_returns
from annexa.source.extract import extract
from golden.cms import (
    assessment,
    cla_episode,
    cp_plan,
    immigration_status,
    legal_status,
    make_cms,
    missing,
    person,
    placement,
    referral,
)

pytestmark = pytest.mark.golden
D = dt.date
A = D(2026, 3, 31)


# the scenario's defaults over golden.cms's SSD rows: referrals and assessments by team T1,
# worker W1; CP plans NEG then EMO; episodes of need N2; missing episodes with an interview


def _ref(rid, pid, date, close=None, reason=None):
    return referral(
        rid,
        pid,
        date,
        close,
        reason,
        cine_referral_source_code="1A",
        cine_referral_team="T1",
        cine_referral_worker_id="W1",
    )


def _asmt(aid, pid, rid, start, auth=None):
    return assessment(
        aid, pid, rid, start, auth, team="T1", worker="W1", cina_assessment_outcome_nfa="N"
    )


def _cpp(cid, pid, rid, start, end=None):
    return cp_plan(cid, pid, start, end, rid=rid, latest="EMO")


def _ep(eid, pid, cla, start, ceased=None, reason=None):
    return cla_episode(eid, pid, cla, start, need="N2", ceased=ceased, reason=reason)


def _plc(plid, cla, start, ptype, end=None, why=None):
    return placement(plid, cla, start, ptype, end=end, why=why)


def _miss(mid, pid, start, end):
    return missing(mid, pid, start, "M", "Y", "Y", end)


def _uasc(iid, pid, start, end=None, status="UASC"):
    return immigration_status(iid, pid, status, start, end)


ROWS = {
    "ssd_person": [person(p, dob=D(2012, 5, 1)) for p in ("A", "B", "C", "D", "E")]
    + [
        person("P", dob=D(2010, 2, 1)),
        person("Q", dob=D(2009, 6, 15), pers_gender="M"),
        person("R", dob=D(2011, 1, 1)),
        person("S", dob=D(2012, 1, 1)),
        person("T", dob=D(2010, 1, 1)),
    ],
    "ssd_cin_episodes": [
        _ref("RA", "A", D(2025, 3, 1), D(2025, 3, 31), "RC1"),  # closed the day before the year
        _ref("RB", "B", D(2024, 6, 1), D(2025, 4, 1), "RC1"),  # closed on its first day
        _ref("RC", "C", D(2026, 3, 31)),  # referred on A
        _ref("RD", "D", D(2026, 4, 1)),  # after A: not yet
        _ref("RE", "E", D(2025, 10, 1), D(2026, 4, 2), "RC2"),  # closed after A: open at A
        _ref("RE0", "E", D(2019, 1, 1), D(2019, 7, 1), "RC1"),  # an old episode of E
    ],
    "ssd_cin_assessments": [
        _asmt("AB1", "B", "RB", D(2024, 6, 2), D(2025, 3, 31)),  # authorised before the year
        _asmt("AB2", "B", "RB", D(2025, 3, 20), D(2025, 4, 1)),  # open on the first day
        _asmt("AE1", "E", "RE", D(2025, 10, 2), D(2026, 4, 10)),  # authorised after A
    ],
    "ssd_cp_plans": [
        _cpp("CE0", "E", "RE0", D(2019, 2, 1), D(2019, 6, 1)),
        _cpp("CE1", "E", "RE", D(2025, 11, 1)),
    ],
    "ssd_cp_reviews": [
        {
            "cppr_cp_review_id": "V1",
            "cppr_cp_plan_id": "CE1",
            "cppr_cp_review_date": D(2025, 11, 20),
        },
        {"cppr_cp_review_id": "V2", "cppr_cp_plan_id": "CE1", "cppr_cp_review_date": D(2026, 4, 1)},
        # a second review in the year, recorded before the first: both in the plan's one group
        {"cppr_cp_review_id": "V0", "cppr_cp_plan_id": "CE1", "cppr_cp_review_date": D(2026, 2, 9)},
    ],
    "ssd_cla_episodes": [
        _ep("EP", "P", "LP", D(2025, 1, 10)),
        _ep("EQ", "Q", "LQ", D(2025, 5, 1), D(2026, 3, 31), "E4A"),
        _ep("ER", "R", "LR", D(2024, 1, 1), D(2025, 3, 31), "E8"),
        _ep("ES", "S", "LS", D(2025, 2, 1), D(2026, 4, 1), "E8"),
        _ep("ET", "T", "LT", D(2024, 9, 1)),
    ],
    "ssd_legal_status": [
        legal_status("GP1", "P", "C2", D(2025, 1, 10), D(2025, 6, 1)),
        legal_status("GP2", "P", "C1", D(2025, 6, 1)),
        legal_status("GQ1", "Q", "V2", D(2025, 5, 1), D(2025, 8, 1)),
        legal_status("GQ2", "Q", "C2", D(2025, 8, 1), D(2026, 3, 31)),
        legal_status("GR1", "R", "C2", D(2024, 1, 1), D(2025, 3, 31)),
        legal_status("GS1", "S", "C2", D(2025, 2, 1), D(2026, 4, 1)),
        legal_status("GT1", "T", "C2", D(2024, 9, 1)),
    ],
    "ssd_cla_placement": [
        _plc("PP1", "LP", D(2025, 1, 10), "U1", D(2025, 9, 1), why="CARPL"),
        _plc("PP2", "LP", D(2025, 9, 1), "U4"),
        _plc("PQ1", "LQ", D(2025, 5, 1), "U3", D(2025, 8, 1), why="PLACE"),
        _plc("PQ2", "LQ", D(2025, 8, 1), "U6", D(2026, 3, 31)),
        _plc("PR1", "LR", D(2024, 1, 1), "U1", D(2025, 3, 31)),
        _plc("PS1", "LS", D(2025, 2, 1), "U1", D(2026, 4, 1)),
        _plc("PT1", "LT", D(2024, 9, 1), "U4", D(2025, 3, 15), why="CARPL"),
        _plc("PT2", "LT", D(2025, 3, 15), "U5", D(2025, 12, 1)),
        _plc("PT3", "LT", D(2025, 12, 1), "A5"),  # placed for adoption with these foster carers
    ],
    "ssd_missing": [
        _miss("M1", "P", D(2025, 3, 30), D(2025, 4, 2)),  # overlaps the year's first day
        _miss("M2", "P", D(2025, 3, 1), D(2025, 3, 31)),  # ended before the year
        _miss("M3", "P", D(2026, 3, 30), D(2026, 4, 5)),  # still missing at A
        _miss("M4", "P", D(2026, 4, 1), None),  # after A
    ],
    "ssd_immigration_status": [
        _uasc("U1", "Q", D(2024, 1, 1)),  # still UASC: ceases at 18 (15/06/2027)
        _uasc("U2", "S", D(2024, 1, 1), D(2025, 2, 1)),  # ceased before the year
        _uasc("U3", "T", D(2025, 1, 1), D(2025, 12, 1)),  # ceased in the year
        _uasc("U4", "P", D(2025, 1, 1), status="OTHER"),
    ],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("returns")
    url = make_cms(folder / "cms", ROWS)
    snap = extract(url, folder / "snapshot")
    return build_returns(snap, folder / "out", reference_date=A, la_code="999")


def _csv(built, name):
    with open(built.ssda903[name], newline="") as f:
        return [tuple(r.values()) for r in csv.DictReader(f)]


def test_cin_episodes_in_the_census_year(built):
    root = ET.parse(built.cin_xml).getroot()
    assert root.findtext("Header/CollectionDetails/Year") == "2026"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    got = {
        c.findtext("ChildIdentifiers/LAchildID"): [
            (
                d.findtext("CINreferralDate"),
                d.findtext("CINclosureDate"),
                d.findtext("ReasonForClosure"),
            )
            for d in c.findall("CINdetails")
        ]
        for c in root.findall("Children/Child")
    }
    assert got == {
        "B": [("2024-06-01", "2025-04-01", "RC1")],
        "C": [("2026-03-31", None, None)],
        "E": [("2025-10-01", None, None)],
    }


def test_cin_modules_in_the_census_year(built):
    root = ET.parse(built.cin_xml).getroot()
    child = {c.findtext("ChildIdentifiers/LAchildID"): c for c in root.findall("Children/Child")}
    b_assessments = [
        (a.findtext("AssessmentActualStartDate"), a.findtext("AssessmentAuthorisationDate"))
        for a in child["B"].findall("CINdetails/Assessments")
    ]
    assert b_assessments == [("2025-03-20", "2025-04-01")]
    e = child["E"].find("CINdetails")
    assert [
        (a.findtext("AssessmentActualStartDate"), a.findtext("AssessmentAuthorisationDate"))
        for a in e.findall("Assessments")
    ] == [("2025-10-02", None)]
    plans = e.findall("ChildProtectionPlans")
    assert [
        (
            p.findtext("CPPstartDate"),
            p.findtext("CPPendDate"),
            p.findtext("InitialCategoryOfAbuse"),
            p.findtext("LatestCategoryOfAbuse"),
            p.findtext("NumberOfPreviousCPP"),
            [r.text for r in p.findall("Reviews/CPPreviewDate")],
        )
        for p in plans
    ] == [("2025-11-01", None, "NEG", "EMO", "1", ["2025-11-20", "2026-02-09"])]
    assert e.findtext("ReferralNFA") == "0"


def test_cp_plan_reviews_are_one_group_of_dates(built):
    # DfE's specification (and its schema): a plan holds at most one <Reviews> group, its last
    # item, with one <CPPreviewDate> per review held in the year (1..n), in date order
    root = ET.parse(built.cin_xml).getroot()
    child = {c.findtext("ChildIdentifiers/LAchildID"): c for c in root.findall("Children/Child")}
    (plan,) = child["E"].findall("CINdetails/ChildProtectionPlans")
    groups = plan.findall("Reviews")
    assert len(groups) == 1 and list(plan)[-1] is groups[0]
    assert [(d.tag, d.text) for d in groups[0]] == [
        ("CPPreviewDate", "2025-11-20"),
        ("CPPreviewDate", "2026-02-09"),
    ]


EPISODES = [
    # CHILD, DECOM, RNE, LS, CIN, PLACE, PROVIDER, DEC, REC, REASON_PLACE_CHANGE, HOME, PL_POST, URN
    ("P", "10/01/2025", "S", "C2", "N2", "U1", "PR1", "01/06/2025", "X1", "", "", "ZZ1 0ED", ""),
    (
        "P",
        "01/06/2025",
        "L",
        "C1",
        "N2",
        "U1",
        "PR1",
        "01/09/2025",
        "X1",
        "CARPL",
        "",
        "ZZ1 0ED",
        "",
    ),
    ("P", "01/09/2025", "P", "C1", "N2", "U4", "PR1", "", "", "", "", "ZZ1 0ED", ""),
    (
        "Q",
        "01/05/2025",
        "S",
        "V2",
        "N2",
        "U3",
        "PR1",
        "01/08/2025",
        "X1",
        "PLACE",
        "",
        "ZZ1 0ED",
        "",
    ),
    ("Q", "01/08/2025", "B", "C2", "N2", "U6", "PR1", "31/03/2026", "E4A", "", "", "ZZ1 0ED", ""),
    ("S", "01/02/2025", "S", "C2", "N2", "U1", "PR1", "", "", "", "", "ZZ1 0ED", ""),
    ("T", "15/03/2025", "P", "C2", "N2", "U5", "PR1", "01/12/2025", "X1", "", "", "ZZ1 0ED", ""),
    ("T", "01/12/2025", "T", "C2", "N2", "A5", "PR1", "", "", "", "", "ZZ1 0ED", ""),
]


def test_903_episodes_split_and_31_march(built):
    assert _csv(built, "episodes.csv") == EPISODES


def test_903_header_is_the_children_with_episodes(built):
    assert _csv(built, "header.csv") == [
        ("P", "F", "01/02/2010", "WBRI", "", "", ""),
        ("Q", "M", "15/06/2009", "WBRI", "", "", ""),
        ("S", "F", "01/01/2012", "WBRI", "", "", ""),
        ("T", "F", "01/01/2010", "WBRI", "", "", ""),
    ]


def test_903_missing_episodes(built):
    assert _csv(built, "missing.csv") == [
        ("P", "01/02/2010", "M", "30/03/2025", "02/04/2025"),
        ("P", "01/02/2010", "M", "30/03/2026", ""),
    ]


def test_903_uasc(built):
    assert _csv(built, "uasc.csv") == [
        ("Q", "M", "15/06/2009", "15/06/2027"),
        ("T", "F", "01/01/2010", "01/12/2025"),
    ]


def test_files_are_owner_only(built):
    for path in [built.cin_xml, *built.ssda903.values()]:
        assert path.stat().st_mode & 0o777 == 0o600
