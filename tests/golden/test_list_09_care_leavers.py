"""Golden: List 9 Care leavers. Expected rows worked out by hand from annex_a.md §3, §5 List 9,
§7 and D23, and source_contract.md §5.10 and §6.4."""

import datetime as dt

import pytest

from annexa import reference
from golden.cms import build_lists, person, published

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)


def _cl(
    tid,
    pid,
    elig,
    touch,
    contact,
    accom=None,
    suit=None,
    act=None,
    plan=None,
    pa=None,
    team=None,
    worker=None,
):
    return {
        "clea_table_id": tid,
        "clea_person_id": pid,
        "clea_care_leaver_eligibility": elig,
        "clea_care_leaver_in_touch": touch,
        "clea_care_leaver_latest_contact": contact,
        "clea_care_leaver_accommodation": accom,
        "clea_care_leaver_accom_suitable": suit,
        "clea_care_leaver_activity": act,
        "clea_pathway_plan_review_date": plan,
        "clea_care_leaver_personal_advisor": pa,
        "clea_care_leaver_allocated_team": team,
        "clea_care_leaver_worker_id": worker,
    }


def _invo(iid, pid, prof, role, start, end=None, team=None):
    return {
        "invo_involvements_id": iid,
        "invo_person_id": pid,
        "invo_professional_id": prof,
        "invo_professional_role_id": role,
        "invo_professional_team": team,
        "invo_involvement_start_date": start,
        "invo_involvement_end_date": end,
    }


def _prof(pid, name, dept=None, staff=None):
    return {
        "prof_professional_id": pid,
        "prof_staff_id": staff,
        "prof_professional_name": name,
        "prof_professional_department": dept,
    }


def _immi(iid, pid, status, start, end=None):
    return {
        "immi_immigration_status_id": iid,
        "immi_person_id": pid,
        "immi_immigration_status": status,
        "immi_immigration_status_start_date": start,
        "immi_immigration_status_end_date": end,
    }


ROWS = {
    "ssd_person": [
        person("Y15", D(2010, 7, 1)),  # 15 at A: out
        person("Y16", D(2010, 6, 30)),  # 16 on A: in
        person("Y17", D(2009, 1, 1)),
        person("Y18", D(2008, 1, 1)),
        person("Y20", D(2006, 3, 1)),
        person("Y25", D(2000, 7, 1), pers_gender="M", pers_ethnicity="BAFR"),  # 25: in
        person("Y26", D(2000, 6, 30)),  # 26 on A: out
        person("YNONE", D(2007, 1, 1)),
    ],
    "ssd_disability": [
        {"disa_table_id": "DS1", "disa_person_id": "Y20", "disa_disability_code": "NONE"}
    ],
    "ssd_care_leavers": [
        _cl("T15", "Y15", "RELEVANT", "YES", D(2026, 5, 1), "U", "1", "F2"),
        _cl(
            "T16",
            "Y16",
            "RELEVANT",
            "YES",
            D(2026, 6, 30),
            "U",
            "1",
            "F4",
            plan=D(2026, 5, 1),
            pa="PR3",
            team="T2",
            worker="PR2",
        ),
        # eligible child: in under later, out under 2019
        _cl("T17", "Y17", "ELIGIBLE", "YES", D(2026, 2, 1), "C", "1", "P5"),
        # latest contact on or before A wins; a contact after A is blank at A (current-state
        # field, source_contract §7.2), so T18B ranks with the undated T18C, after T18A
        _cl("T18A", "Y18", "QUALIFYING", "YES", D(2026, 3, 1), "D", "1", "F5", plan=D(2026, 7, 1)),
        _cl("T18B", "Y18", "RELEVANT", "NO", D(2026, 7, 15)),
        _cl("T18C", "Y18", "RELEVANT", "YES", None, "U", "2", "G4"),
        # two records on the same date: tie broken on the mapped eligibility code
        # (FORMER_RELEVANT before RELEVANT), not on the (unstable) table id
        _cl(
            "A",
            "Y20",
            "RELEVANT",
            "YES",
            D(2026, 4, 1),
            "S",
            "2",
            "G4",
            pa="PR3",
            team="T9",
            worker="S9",
        ),
        _cl(
            "Z",
            "Y20",
            "FORMER_RELEVANT",
            "YES",
            D(2026, 4, 1),
            "Z",
            "1",
            "G6",
            pa="PR3",
            team="T9",
            worker="S9",
        ),
        # not in touch: accommodation, suitability and activity blank; 1900 placeholder plan
        _cl(
            "T25",
            "Y25",
            "FORMER_RELEVANT",
            "NO",
            D(2026, 1, 15),
            "U",
            "2",
            "G5",
            plan=D(1900, 1, 1),
            worker="PR2",
        ),
        _cl("T26", "Y26", "FORMER_RELEVANT", "YES", D(2026, 1, 15), "U", "1", "F1"),
        # latest record says no current eligibility: out
        _cl("TN1", "YNONE", "RELEVANT", "YES", D(2025, 1, 1), "U", "1", "F1"),
        _cl("TN2", "YNONE", "NONE", "YES", D(2026, 5, 1), "U", "1", "F1"),
        # orphan: no such person
        _cl("TX", "YX", "RELEVANT", "YES", D(2026, 5, 1), "U", "1", "F1"),
    ],
    "ssd_involvements": [
        _invo("I0", "Y16", "PR2", "CW", D(2024, 1, 1), D(2025, 1, 1)),  # ended before A
        _invo("I1", "Y16", "PR1", "CW", D(2025, 1, 1), team="T1"),  # open at A: worker
        _invo("I4", "Y16", "PR5", "CW", D(2026, 7, 1)),  # starts after A
        _invo("I2", "Y25", "PR3", "16PLUS", D(2025, 1, 1)),  # PA fallback
        _invo("I3", "Y25", "PR4", "16PLUS", D(2026, 1, 1), D(2026, 6, 30)),  # ended on A
    ],
    "ssd_professionals": [
        _prof("PR1", "Ann Worker", "Dept A"),
        _prof("PR2", "Bob Record", "Care Leavers Dept"),
        _prof("PR3", "Pat Adviser"),
        _prof("PR4", "Peter Former"),
        _prof("PR5", "Future Worker"),
        _prof("PR9", "Sam Staff", "District Team", staff="S9"),
    ],
    "ssd_department": [
        {"dept_team_id": "T1", "dept_team_name": "Team One"},
        {"dept_team_id": "T2", "dept_team_name": "Leaving Care Team"},
    ],
    "ssd_immigration_status": [
        _immi("M16", "Y16", "UASC", D(2024, 1, 1), D(2026, 6, 30)),  # under 18, ended on A
        _immi("M17", "Y17", "UASC", D(2025, 1, 1)),  # under 18, open at A
        _immi("M18", "Y18", "OTHER", D(2025, 1, 1)),
        _immi("M25", "Y25", "UASC", D(2015, 1, 1), D(2019, 1, 1)),  # 18+, formerly UASC
    ],
}


def _row(cid, dob, age, **kw):
    row = {
        "child_unique_id": cid,
        "gender": "b) Female",
        "ethnicity": "a) WBRI",
        "date_of_birth": dob,
        "age": age,
        "uasc_or_former_uasc": "b) No",
        "disability": "c) Unknown",
        "allocated_team": None,
        "allocated_worker": None,
        "allocated_personal_advisor": None,
        "eligibility_category": None,
        "latest_pathway_plan_review_date": None,
        "la_in_touch": "a) Yes",
        "latest_date_of_contact": None,
        "type_of_accommodation": None,
        "suitability_of_accommodation": None,
        "activity_status": None,
    }
    assert set(kw) <= set(row)
    row.update(kw)
    return row


Y16 = _row(
    "Y16",
    D(2010, 6, 30),
    16,
    allocated_team="Leaving Care Team",
    allocated_worker="Ann Worker",
    allocated_personal_advisor="Pat Adviser",
    eligibility_category="a) Relevant child",
    latest_pathway_plan_review_date=D(2026, 5, 1),
    latest_date_of_contact=D(2026, 6, 30),
    type_of_accommodation="U: Independent living",
    suitability_of_accommodation="a) Suitable",
    activity_status="F4: Young person engaged full time in an apprenticeship",
)
Y17 = _row(
    "Y17",
    D(2009, 1, 1),
    17,
    uasc_or_former_uasc="a) Yes",
    eligibility_category="d) Eligible child",
    latest_date_of_contact=D(2026, 2, 1),
    type_of_accommodation="C: Community home / residential care",
    suitability_of_accommodation="a) Suitable",
    activity_status="P5: Young person engaged part time in training or employment "
    "(not apprenticeship)",
)
Y18 = _row(
    "Y18",
    D(2008, 1, 1),
    18,
    eligibility_category="c) Qualifying care leaver",
    latest_date_of_contact=D(2026, 3, 1),
    type_of_accommodation="D: Semi-independent, transitional accommodation and "
    "self-contained accommodation",
    suitability_of_accommodation="a) Suitable",
    activity_status="F5: Young person engaged full time in training or employment "
    "(not apprenticeship)",
)
Y20 = _row(
    "Y20",
    D(2006, 3, 1),
    20,
    disability="b) No",
    allocated_team="District Team",
    allocated_worker="Sam Staff",
    allocated_personal_advisor="Pat Adviser",
    eligibility_category="b) Former relevant child",
    latest_date_of_contact=D(2026, 4, 1),
    type_of_accommodation="Z: With former foster carers",
    suitability_of_accommodation="a) Suitable",
    activity_status="G6: Not in education, employment or training - pregnancy or parenting",
)
Y25 = _row(
    "Y25",
    D(2000, 7, 1),
    25,
    gender="a) Male",
    ethnicity="o) BAFR",
    uasc_or_former_uasc="a) Yes",
    allocated_team="Care Leavers Dept",
    allocated_worker="Bob Record",
    allocated_personal_advisor="Pat Adviser",
    eligibility_category="b) Former relevant child",
    la_in_touch="b) No",
    latest_date_of_contact=D(2026, 1, 15),
)

F3 = "F3: Full time in training or employment"


def test_list_9_later_selection_ages_allocation_and_in_touch(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={9})[9]
    assert [k for k in rows[0] if not k.startswith("_")] == reference.list_spec(9, "later").keys
    assert [published(r) for r in rows] == [Y16, Y17, Y18, Y20, Y25]
    assert [r["_record_id"] for r in rows] == ["Y16", "Y17", "Y18", "Y20", "Y25"]
    assert [r["_person_id"] for r in rows] == ["Y16", "Y17", "Y18", "Y20", "Y25"]


def test_list_9_2019_leaves_out_eligible_and_renders_f4_f5_as_f3(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, version="2019", lists={9})[9]
    # the SQL still carries all 17 columns; the workbook publishes the 2019 thirteen
    assert set(reference.list_spec(9, "2019").keys) <= set(rows[0])
    assert [published(r) for r in rows] == [
        {**Y16, "activity_status": F3},
        {**Y18, "activity_status": F3},
        Y20,
        Y25,
    ]


def test_list_9_contact_after_a_is_blank_and_the_young_person_stays(tmp_path):
    """A care leaver at A whose latest contact is after A: the date is not known at A (§3.3,
    source_contract §7.2), but the young person was a care leaver then and is listed."""
    rows = {
        "ssd_person": [person("Y19", D(2007, 1, 1))],
        "ssd_care_leavers": [_cl("T19", "Y19", "RELEVANT", "NO", D(2026, 8, 1))],
    }
    got = build_lists(tmp_path, rows, A, lists={9})[9]
    assert [published(r) for r in got] == [
        _row(
            "Y19", D(2007, 1, 1), 19, eligibility_category="a) Relevant child", la_in_touch="b) No"
        )
    ]
