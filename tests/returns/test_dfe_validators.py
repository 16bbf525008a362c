"""DfE's validators run in their own environment on data-to-insight's own fake data, and the
product reads what they found (rule, child, table, fields). Expected issues read off the files
by hand: the 903 sample codes SEX as 1/2 (2024/25 onwards wants M, F or U), and its second
episode row has a reason ceased (X1) but no date ceased; the CIN sample's second child has an
assessment starting 2023-12-25, before its referral of 2024-10-24."""

from pathlib import Path

import pytest

from annexa.returns import validators

pytestmark = pytest.mark.validators
FIXTURES = Path(__file__).parents[1] / "fixtures" / "dfe"


def test_cin_sample():
    run = validators.run("cin", [FIXTURES / "cin" / "CIN_Census_2026.xml"], year=2026)
    assert run.ruleset == "cin2025_26"
    assert len(run.rules_run) > 100 and run.failed_to_run == []
    hits = [i for i in run.issues if i.rule == "1103"]
    assert sorted((i.child_id, i.table, tuple(i.fields)) for i in hits) == [
        ("child_fails_assessments", "Assessments", ("AssessmentActualStartDate",)),
        ("child_fails_assessments", "CINdetails", ("CINreferralDate",)),
    ]
    assert hits[0].severity == "error"
    assert {i.severity for i in run.issues if i.rule.endswith("Q")} == {"query"}


def test_903_sample():
    run = validators.run("903", sorted((FIXTURES / "903").glob("*.csv")), year=2026)
    assert run.ruleset == "lac2025_26"
    assert len(run.rules_run) > 300
    sex = [i for i in run.issues if i.rule == "101"]
    assert len(sex) == run.rows["Header"] == 30
    assert {i.table for i in sex} == {"Header"} and sex[0].fields == ["SEX"]
    ceased = [(i.child_id, i.row) for i in run.issues if i.rule == "148"]
    assert ("566910", "1") in ceased
    assert ("566910", "0") not in ceased  # both DEC and REC given
