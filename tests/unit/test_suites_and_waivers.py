"""Expectation suites are generated from the reference data; waivers are strict and expire."""

import datetime as dt

import pytest

from annexa import reference
from annexa.core.dates import Windows
from annexa.validate.findings import (
    LIST_FAMILIES,
    SEVERITIES,
    SOURCE_FAMILIES,
    RuleResult,
    WorkItem,
)
from annexa.validate.suites import all_suites, load_suite, resolve, stale_suites
from annexa.validate.waivers import WaiverError, apply_waivers, load_waivers

D = dt.date


def test_committed_suites_match_the_reference_data():
    """`expectations/` is what `annexa suites --write` generates: one suite per list and per
    SSD table, each rule with an id, a severity and a description."""
    assert stale_suites() == []
    suites = all_suites()
    assert len([n for n in suites if n.startswith("annex_a_list_")]) == 11
    assert len([n for n in suites if n.startswith("ssd_")]) == 28  # every SSD table
    for suite in suites.values():
        families = LIST_FAMILIES if suite["meta"]["kind"] == "list" else SOURCE_FAMILIES
        for e in suite["expectations"]:
            assert e["meta"]["severity"] in SEVERITIES
            assert e["meta"]["rule"].split(":")[1] in families, e["meta"]["rule"]
            assert e["meta"]["description"]
        ids = [e["meta"]["rule"] for e in suite["expectations"]]
        assert len(ids) == len(set(ids)), suite["name"]


def test_code_sets_come_from_the_reference_data_at_run_time():
    suite = load_suite("annex_a_list_06_children_in_need")
    rc = next(
        e
        for e in suite["expectations"]
        if e["meta"]["rule"] == "list_6:code_in_list:reason_for_closure"
    )
    assert rc["kwargs"]["value_set"] == {"$codes": "CS-RC"}  # a reference, not a copy
    w = Windows.for_date(D(2026, 3, 31))
    args = {
        "windows": w,
        "extracted_on": D(2026, 4, 1),
        "placeholders": ["ssd_ph"],
        "placeholder_before": D(1901, 1, 1),
    }
    later = resolve(rc["kwargs"], version="later", **args)["value_set"]
    old = resolve(rc["kwargs"], version="2019", **args)["value_set"]
    assert later == reference.code_strings("CS-RC", "later")
    assert "RC9 - Case closed after assessment, referred to early help" in later
    assert "RC9 - Case closed after assessment, referred to early help" not in old
    dob = next(
        e
        for e in load_suite("ssd_person")["expectations"]
        if e["meta"]["rule"] == "ssd_person:placeholder_value:pers_dob"
    )
    assert (
        resolve(dob["kwargs"], version="later", **args)["min_value"]
        == (D(1901, 1, 1) - D(1970, 1, 1)).days
    )


def _write(tmp_path, doc) -> str:
    p = tmp_path / "waivers.yaml"
    p.write_text(doc)
    return str(p)


def test_waivers_apply_to_named_records_of_one_rule_until_they_expire(tmp_path):
    path = _write(
        tmp_path,
        """
waivers:
  - rule: list_8:required:date_of_birth
    records: ["P1", 7]
    reason: Age-assessed, DOB awaited
    owner: CiC team manager
    expires: 2026-11-30
  - rule: list_8:required:date_of_birth
    records: ["P9"]
    reason: old
    owner: someone
    expires: 2026-01-31
""",
    )
    waivers = load_waivers(path)
    assert [w.records for w in waivers] == [("P1", "7"), ("P9",)]
    rule = RuleResult(
        id="list_8:required:date_of_birth",
        target="list_8",
        family="required",
        column="date_of_birth",
        severity="error",
        description="d",
        success=False,
        unexpected_count=3,
    )
    items = [
        WorkItem(
            rule=rule.id,
            severity="error",
            target="list_8",
            column="date_of_birth",
            record_id=rid,
            child_id=None,
            value=None,
            team=None,
            worker=None,
            description="d",
        )
        for rid in ("P1", "7", "P9")
    ]
    applied = apply_waivers([rule], items, waivers, today=D(2026, 11, 30))  # last day: live
    assert rule.waived_count == 2 and rule.blocking  # P9's waiver expired: still blocking
    assert [i.waived for i in items] == [True, True, False]
    assert applied == [
        {
            "rule": rule.id,
            "record_ids": ["7", "P1"],
            "reason": "Age-assessed, DOB awaited",
            "owner": "CiC team manager",
            "expires": "2026-11-30",
        }
    ]
    apply_waivers([rule], items, waivers, today=D(2026, 12, 1))  # the day after: expired
    assert rule.waived_count == 0
    other = RuleResult(
        id="list_7:required:age",
        target="list_7",
        family="required",
        column="age",
        severity="error",
        description="d",
        success=False,
        unexpected_count=1,
    )
    item = WorkItem(
        rule=other.id,
        severity="error",
        target="list_7",
        column="age",
        record_id="P1",
        child_id=None,
        value=None,
        team=None,
        worker=None,
        description="d",
    )
    apply_waivers([other], [item], waivers, today=D(2026, 11, 1))
    assert not item.waived and other.blocking  # a waiver covers one rule only


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("waivers:\n  - rule: list_8:required:date_of_birth\n    records: [P1]\n", "missing"),
        (
            "waivers:\n  - {rule: x, records: [P1], reason: r, owner: o, expires: 2026-01-01}\n",
            "rule id",
        ),
        (
            "waivers:\n  - {rule: 'a:b', records: ['*'], reason: r, owner: o, "
            "expires: 2026-01-01}\n",
            "wildcards",
        ),
        (
            "waivers:\n  - {rule: 'a:b', records: [1], reason: r, owner: o, expires: soon}\n",
            "YYYY-MM-DD",
        ),
        ("waivers: nope\n", "'waivers:' list"),
    ],
)
def test_malformed_waiver_files_fail_with_a_clear_message(tmp_path, doc, message):
    with pytest.raises(WaiverError, match=message):
        load_waivers(_write(tmp_path, doc))


def test_no_waiver_file_means_no_waivers(tmp_path):
    assert load_waivers(None) == [] and load_waivers("") == []
    with pytest.raises(WaiverError, match="not found"):
        load_waivers(tmp_path / "missing.yaml")


def test_the_list_suite_catches_rows_outside_the_window_and_wrong_ages(tmp_path):
    """Run List 1's committed suite with Great Expectations on a hand-made list: a contact
    before W6's first day and an age that does not match the date of birth are caught, with
    exactly those record ids; the clean row passes every rule, and so does a child unborn at A
    (the build's ``_dob_basis``) shown with an expected date on or before A, aged -1 (D5)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from annexa.validate.gate import _expectations, _list_frame
    from annexa.validate.gx_runner import GXRunner

    w = Windows.for_date(D(2026, 3, 31))  # W6 starts 30/09/2025
    t = pa.table(
        {
            "child_unique_id": ["1", "2", "3", "4"],
            "gender": ["a) Male"] * 4,
            "ethnicity": ["a) WBRI"] * 4,
            "date_of_birth": pa.array(
                [D(2010, 3, 31), D(2010, 4, 1), D(2012, 1, 1), D(2026, 3, 20)], pa.date32()
            ),
            "age": pa.array([16, 16, 14, -1], pa.int64()),  # row 2 turns 16 on 01/04: still 15
            "date_of_contact": pa.array(
                [D(2025, 9, 30), D(2026, 1, 1), D(2025, 9, 29), D(2026, 3, 25)], pa.date32()
            ),
            "contact_source": ["q) 6: Police"] * 4,
            "_record_id": ["C1", "C2", "C3", "C4"],
            "_person_id": ["1", "2", "3", "4"],
            "_dob_basis": ["recorded"] * 3 + ["unborn"],  # 4: due 20/03, born after A
        }
    )
    pq.write_table(t, tmp_path / "l1.parquet")
    df = _list_frame(tmp_path / "l1.parquet", 1, "later", w.as_at)
    g = type(
        "G",
        (),
        {
            "version": "later",
            "windows": w,
            "extracted_on": D(2026, 4, 1),
            "placeholders": [],
            "placeholder_before": D(1901, 1, 1),
        },
    )()
    cols = reference.list_spec(1, "later").keys + [
        "_record_id",
        "_person_id",
        "_dob_basis",
        "_age_from_dob",
    ]
    run = GXRunner().run(
        "annex_a_list_01_contacts",
        df,
        _expectations(load_suite("annex_a_list_01_contacts"), g, cols),
        "_record_id",
    )
    failing = {r.id: run.failing_ids.get(r.id) for r in run.results if not r.success}
    assert failing == {
        "list_1:in_window:date_of_contact": ["C3"],
        "list_1:age_matches_dob:age": ["C2"],
    }


def test_the_gate_reads_list_dates_and_ages_as_worked_out_by_hand(tmp_path):
    """``_list_frame`` (vectorised over Arrow, issue 10) gives each row the age worked out by
    hand (D4: completed years, a birthday on A counts, 29 February reached on 1 March in a
    common year; D5: -1 for a child the build says is unborn, whatever date it shows; none
    without a date) and each date as its day number since 1970-01-01 (missing stays missing)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from annexa.validate.gate import _list_frame

    a = D(2025, 2, 28)  # a common year
    cases = [  # date of birth, basis, age worked out by hand
        (D(2008, 2, 29), "recorded", 16),  # 29 Feb: 17 only on 1 March 2025
        (D(2010, 2, 28), "recorded", 15),  # birthday on A
        (D(2010, 3, 1), "recorded", 14),
        (D(2024, 12, 31), "recorded", 0),
        (D(2025, 2, 20), "unborn", -1),  # due before A, born after it
        (D(2025, 6, 1), "unborn", -1),
        (None, "unborn", -1),
        (None, None, None),
    ]
    n = len(cases)
    contact = [D(1970, 1, 1), D(1970, 1, 2), D(1969, 12, 31), None] + [D(2025, 2, 1)] * (n - 4)
    pq.write_table(
        pa.table(
            {
                "child_unique_id": [str(i) for i in range(n)],
                "date_of_birth": pa.array([c[0] for c in cases], pa.date32()),
                "age": pa.array([0] * n, pa.int64()),
                "date_of_contact": pa.array(contact, pa.date32()),
                "_dob_basis": [c[1] for c in cases],
            }
        ),
        tmp_path / "l1.parquet",
    )
    df = _list_frame(tmp_path / "l1.parquet", 1, "later", a)
    assert str(df["_age_from_dob"].dtype) == "Int64"
    assert [None if pd.isna(v) else int(v) for v in df["_age_from_dob"]] == [c[2] for c in cases]
    assert str(df["date_of_contact"].dtype) == "Int64"
    days = [None if pd.isna(v) else int(v) for v in df["date_of_contact"]]
    # 01/02/2025: 55 years, 14 leap days and January after 01/01/1970
    assert days == [0, 1, -1, None] + [20120] * (n - 4)
    assert [None if pd.isna(v) else int(v) for v in df["date_of_birth"]][-1] is None
