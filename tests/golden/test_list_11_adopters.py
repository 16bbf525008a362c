"""Golden: List 11 Adopters. Expected rows worked out by hand from annex_a.md §3, §5 List 11 and
D25, and source_contract.md §5.12 and §8.1."""

import datetime as dt

import pytest

from annexa import reference
from golden.cms import build_lists

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)  # W12 starts 30/06/2025 (annex_a.md §3.1)


def _adopter(aid, family=None, sex="F", eth="WBRI", dis="N", ffa="N", **dates):
    row = {
        "adop_adopter_id": aid,
        "adop_family_id": family,
        "adop_sex": sex,
        "adop_ethnicity": eth,
        "adop_disability": dis,
        "adop_ffa_or_concurrent": ffa,
    }
    row.update({f"adop_{k}": v for k, v in dates.items()})
    return row


_COUPLE = {
    "enquiry_date": D(2025, 1, 10),
    "stage1_start_date": D(2025, 2, 1),
    "stage1_end_date": D(2025, 4, 1),
    "stage2_start_date": D(2025, 4, 15),
    "stage2_end_date": D(2025, 9, 1),
    "matched_date": D(2026, 1, 10),
    "placed_date": D(2026, 3, 1),
    "children_placed": 2,
}

ROWS = {
    "ssd_adopters": [
        # A couple: two rows sharing the family id; FFA flag recorded for one only (missing -> No)
        _adopter("AD01", "FAM1", sex="M", dis="N", ffa="Y", **_COUPLE),
        _adopter("AD02", "FAM1", sex="F", dis=None, ffa=None, **_COUPLE),  # disability unknown
        # left the process the day before W12 starts: out
        _adopter(
            "AD03",
            stage1_start_date=D(2024, 5, 1),
            left_process_date=D(2025, 6, 29),
            left_process_reason="1",
        ),
        # left on the first day of W12: in, with date and reason
        _adopter(
            "AD04",
            stage1_start_date=D(2024, 5, 1),
            left_process_date=D(2025, 6, 30),
            left_process_reason="1",
            dis="Y",
        ),
        # put on hold within W12: stays on the list (D25)
        _adopter(
            "AD05",
            eth="BAFR",
            stage1_start_date=D(2025, 8, 1),
            left_process_date=D(2026, 2, 1),
            left_process_reason="2",
        ),
        # adoption order the day before W12: out
        _adopter(
            "AD06",
            "FAM6",
            stage1_start_date=D(2023, 1, 1),
            placed_date=D(2024, 1, 1),
            children_placed=1,
            adoption_order_date=D(2025, 6, 29),
        ),
        # adoption order on the first day of W12: in
        _adopter(
            "AD07",
            "FAM7",
            stage1_start_date=D(2023, 1, 1),
            matched_date=D(2023, 11, 1),
            placed_date=D(2024, 1, 1),
            children_placed=1,
            adoption_order_date=D(2025, 6, 30),
        ),
        # Stage 1 starts after A: out (D3)
        _adopter("AD08", stage1_start_date=D(2026, 7, 1)),
        # enquiry only: out
        _adopter("AD09", enquiry_date=D(2026, 1, 1)),
        # older process; matched on A; placed and left after A are not yet known (D3);
        # no gender or ethnicity recorded
        _adopter(
            "AD10",
            "FAM10",
            sex=None,
            eth=None,
            application_date=D(2024, 11, 1),
            approval_date=D(2025, 3, 1),
            matched_date=D(2026, 6, 30),
            placed_date=D(2026, 7, 2),
            children_placed=1,
            left_process_date=D(2026, 7, 15),
            left_process_reason="3",
        ),
        # Stage 1 starts on A: in; Stage 1 end after A: blank
        _adopter("AD11", stage1_start_date=D(2026, 6, 30), stage1_end_date=D(2026, 8, 1)),
    ],
}


def _row(aid, family=None, gender="b) Female", eth="a) WBRI", dis="b) No", ffa="No", **kw):
    row = {
        "individual_adopter_id": aid,
        "family_identifier": family,
        "gender": gender,
        "ethnicity": eth,
        "disability": dis,
        "fostering_for_adoption": ffa,
        "date_enquiry_received": None,
        "date_stage1_started": None,
        "date_stage1_ended": None,
        "date_stage2_started": None,
        "date_stage2_ended": None,
        "date_application_submitted": None,
        "date_application_approved": None,
        "date_matched": None,
        "date_placed": None,
        "children_placed": None,
        "date_adoption_order": None,
        "date_left_process": None,
        "reason_left_process": None,
    }
    assert set(kw) <= set(row)
    row.update(kw)
    return row


_COUPLE_OUT = {
    "date_enquiry_received": D(2025, 1, 10),
    "date_stage1_started": D(2025, 2, 1),
    "date_stage1_ended": D(2025, 4, 1),
    "date_stage2_started": D(2025, 4, 15),
    "date_stage2_ended": D(2025, 9, 1),
    "date_matched": D(2026, 1, 10),
    "date_placed": D(2026, 3, 1),
    "children_placed": 2,
}

EXPECTED = [
    _row("AD01", "FAM1", gender="a) Male", dis="b) No", ffa="Yes", **_COUPLE_OUT),
    _row("AD02", "FAM1", dis=None, ffa="No", **_COUPLE_OUT),
    _row(
        "AD04",
        dis="a) Yes",
        date_stage1_started=D(2024, 5, 1),
        date_left_process=D(2025, 6, 30),
        reason_left_process="1 - Adopter withdrew from process",
    ),
    _row(
        "AD05",
        eth="o) BAFR",
        date_stage1_started=D(2025, 8, 1),
        date_left_process=D(2026, 2, 1),
        reason_left_process="2 - Process put on hold",
    ),
    _row(
        "AD07",
        "FAM7",
        date_stage1_started=D(2023, 1, 1),
        date_matched=D(2023, 11, 1),
        date_placed=D(2024, 1, 1),
        children_placed=1,
        date_adoption_order=D(2025, 6, 30),
    ),
    _row(
        "AD10",
        "FAM10",
        gender="c) Not stated/recorded",
        eth="s) NOBT",
        date_application_submitted=D(2024, 11, 1),
        date_application_approved=D(2025, 3, 1),
        date_matched=D(2026, 6, 30),
    ),
    _row("AD11", date_stage1_started=D(2026, 6, 30)),
]


def test_list_11_scope_masking_flags_and_couples(tmp_path):
    lists = build_lists(tmp_path, ROWS, A, lists={11})
    rows = lists[11]
    keys = [k for k in rows[0] if not k.startswith("_")]
    assert keys == reference.list_spec(11, "later").keys
    assert [{k: r[k] for k in keys} for r in rows] == EXPECTED
    assert [r["_record_id"] for r in rows] == [e["individual_adopter_id"] for e in EXPECTED]


def test_list_11_is_the_same_under_2019(tmp_path):
    lists = build_lists(tmp_path, ROWS, A, version="2019", lists={11})
    assert [r["individual_adopter_id"] for r in lists[11]] == [
        "AD01",
        "AD02",
        "AD04",
        "AD05",
        "AD07",
        "AD10",
        "AD11",
    ]
