"""Issue 14.1: what blocks a return is what makes it wrong; what is true but bad news warns.
Severities expected here are the spec's (source_contract §10, indicators §6.2, annex_a D15, D23,
D25, D26), written out by hand, not read from the generator."""

import pytest

from annexa.core.registry import queries
from annexa.validate.suites import all_suites


@pytest.fixture(scope="module")
def severity() -> dict[str, str]:
    return {
        e["meta"]["rule"]: e["meta"]["severity"]
        for s in all_suites().values()
        for e in s["expectations"]
    }


WARNINGS = [
    *(f"list_{n}:required:allocated_team" for n in range(3, 10)),
    *(f"list_{n}:required:allocated_worker" for n in range(3, 10)),
    "list_9:required:allocated_personal_advisor",
    "list_3:required:referral_nfa",
    "list_8:required:la_of_placement",
    "list_11:required:disability",
    "list_5:date_order:icpc_date",
    "list_7:date_order:cp_plan_end_date",
    "list_6:date_order:cin_closure_date",
    "ssd_contacts:child_joins:cont_person_id",
    "ssd_cin_episodes:placeholder_value:cine_referral_date",
    "ssd_cin_assessments:future_date:cina_assessment_start_date",
    "ssd_cin_episodes:team_joins:cine_referral_team",
]
ERRORS = [
    "list_1:columns_in_order",
    "list_3:row_key_unique:_record_id",
    "list_3:required:ethnicity",
    "list_4:required:disability",  # the shared disability column errors outside List 11
    "list_8:required:date_of_birth",
    "list_9:required:date_of_birth",
    "list_8:required:placement_type",
    "list_1:code_in_list:contact_source",
    "list_3:date_in_range:date_of_referral",
    "list_1:in_window:date_of_contact",
    "list_8:event_after_birth:date_started_looked_after",
    "list_8:age_matches_dob:age",
    "ssd_contacts:key_unique:cont_contact_id",
    "ssd_contacts:key_not_null:cont_contact_id",
]


@pytest.mark.parametrize("rule", WARNINGS)
def test_true_but_bad_news_is_a_warning(severity, rule):
    assert severity[rule] == "warning"


@pytest.mark.parametrize("rule", ERRORS)
def test_a_wrong_return_is_blocked(severity, rule):
    assert severity[rule] == "error"


def test_lists_that_contradict_each_other_block():
    assert {r.name: r.severity for r in queries("cross")} == {
        "icpc_plan_in_list_7": "error",
        "looked_after_case_status": "error",
        "dob_agrees": "error",
    }
