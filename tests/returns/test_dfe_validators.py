"""DfE's validators run in their own environment on data-to-insight's own fake data, and the
product reads what they found (rule, child, table, fields). Expected issues read off the files
by hand: the 903 sample codes SEX as 1/2 (2024/25 onwards wants M, F or U), and its second
episode row has a reason ceased (X1) but no date ceased; the CIN sample's second child has an
assessment starting 2023-12-25, before its referral of 2024-10-24. A hand-made census whose CP plan
holds two review dates in its one Reviews group, as the specification has it: DfE's reader reads
only the first date of a group, the runner reads each."""

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


# one child, one CP plan (01/05/2025-15/01/2026) with two reviews: 20/07/2025, and 10/11/2025,
# held while the referral's CIN plan (01/10/2025-01/12/2025) was open, which DfE's 4003 rejects;
# the first review is before that plan started, so 4003 fires only if the second is read
TWO_REVIEWS = """<?xml version='1.0' encoding='utf-8'?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection><Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel><LEA>201</LEA><SoftwareCode>annexa</SoftwareCode>
      <Release>test</Release><SerialNo>001</SerialNo><DateTime>2026-04-01T09:00:00</DateTime>
    </Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>two_reviews</LAchildID><UPNunknown>UN1</UPNunknown>
        <PersonBirthDate>2015-01-01</PersonBirthDate><Sex>M</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-04-10</CINreferralDate><ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>2025-04-11</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2025-04-30</AssessmentAuthorisationDate>
        </Assessments>
        <CINPlanDates>
          <CINPlanStartDate>2025-10-01</CINPlanStartDate><CINPlanEndDate>2025-12-01</CINPlanEndDate>
        </CINPlanDates>
        <Section47>
          <S47ActualStartDate>2025-04-14</S47ActualStartDate>
          <InitialCPCtarget>2025-05-06</InitialCPCtarget><DateOfInitialCPC>2025-05-01</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2025-05-01</CPPstartDate><CPPendDate>2026-01-15</CPPendDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>2025-07-20</CPPreviewDate><CPPreviewDate>2025-11-10</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def test_cin_every_review_date_is_read(tmp_path):
    census = tmp_path / "two_reviews.xml"
    census.write_text(TWO_REVIEWS)
    run = validators.run("cin", [census], year=2026)
    assert run.rows["Reviews"] == 2  # DfE's reader alone: 1
    hits = {(i.child_id, i.table) for i in run.issues if i.rule == "4003"}
    assert ("two_reviews", "Reviews") in hits  # DfE's reader alone: 4003 does not fire
