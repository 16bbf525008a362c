"""Golden: List 10 Adoption. Expected rows worked out by hand from annex_a.md §3, §5 List 10 and
D24, and source_contract.md §5.11."""

import datetime as dt

import pytest

from annexa import reference
from golden.cms import build_lists, person, published

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)  # W12 starts 30/06/2025 (annex_a.md §3.1)


def _perm(tid, pid, decision, **kw):
    row = {"perm_table_id": tid, "perm_person_id": pid, "perm_adm_decision_date": decision}
    row.update({f"perm_{k}": v for k, v in kw.items()})
    return row


def _episode(eid, pid, cla, start, entered, ceased=None, reason=None):
    return {
        "clae_cla_episode_id": eid,
        "clae_person_id": pid,
        "clae_cla_id": cla,
        "clae_cla_episode_start_date": start,
        "clae_entered_care_date": entered,
        "clae_cla_episode_ceased_date": ceased,
        "clae_cla_episode_ceased_reason": reason,
    }


ROWS = {
    "ssd_person": [person("C1", D(2022, 3, 15))]
    + [person(p) for p in ("C2", "C3", "C4", "C5", "C6", "C7", "C8", "C10")],
    "ssd_disability": [
        {"disa_table_id": "DS1", "disa_person_id": "C1", "disa_disability_code": "AUT"}
    ],
    "ssd_cla_episodes": [
        # C1: period CLA1 of two episodes; entered care 01/11/2024
        _episode("E11", "C1", "CLA1", D(2024, 11, 1), D(2024, 11, 1), D(2025, 2, 1), "X1"),
        _episode("E12", "C1", "CLA1", D(2025, 2, 1), D(2024, 11, 1)),
        # C2: no perm_cla_id; an old period, and the period open on the decision date
        _episode("E21", "C2", "CLA2A", D(2020, 1, 1), D(2020, 1, 1), D(2021, 1, 1), "E8"),
        _episode("E22", "C2", "CLA2B", D(2024, 2, 1), D(2024, 2, 1), D(2025, 6, 30), "E11"),
        # C7: perm_cla_id does not join; period open on the decision date is used
        _episode("E71", "C7", "CLA7B", D(2025, 12, 1), D(2025, 12, 1)),
        # C8: order type not recorded; the period ended E12 on 01/03/2026
        _episode("E81", "C8", "CLA8", D(2023, 5, 5), D(2023, 5, 5), D(2024, 1, 1), "X1"),
        _episode("E82", "C8", "CLA8", D(2024, 1, 1), D(2023, 5, 5), D(2026, 3, 1), "E12"),
    ],
    "ssd_permanence": [
        # decision stands, matched and placed by A: family shown
        _perm(
            "PM1",
            "C1",
            D(2025, 1, 10),
            cla_id="CLA1",
            placement_order_date=D(2025, 3, 1),
            matched_date=D(2025, 9, 1),
            placed_for_adoption_date=D(2025, 10, 1),
            placed_ffa_cp_date=D(2025, 5, 1),
            adopter_family_id="FAM1",
        ),
        # adoption order on the first day of W12: in
        _perm(
            "PM2",
            "C2",
            D(2024, 6, 1),
            placement_order_date=D(2024, 8, 1),
            matched_date=D(2024, 12, 1),
            placed_for_adoption_date=D(2025, 1, 5),
            permanence_order_date=D(2025, 6, 30),
            permanence_order_type="ADOPTION",
            adopter_family_id="FAM2",
        ),
        # adoption order the day before W12: out
        _perm(
            "PM3",
            "C3",
            D(2024, 1, 1),
            permanence_order_date=D(2025, 6, 29),
            permanence_order_type="ADOPTION",
        ),
        # reversed on the first day of W12: in with RD reason; not matched: no family id
        _perm(
            "PM4",
            "C4",
            D(2025, 2, 1),
            decision_reversed_date=D(2025, 6, 30),
            decision_reversed_reason="RD3",
            adopter_family_id="FAM4",
        ),
        # reversed the day before W12: out
        _perm(
            "PM5",
            "C5",
            D(2025, 2, 1),
            decision_reversed_date=D(2025, 6, 29),
            decision_reversed_reason="RD1",
        ),
        # decision after A: out (D3)
        _perm("PM6", "C6", D(2026, 7, 1)),
        # placement order on A shown; match and reversal after A not yet known (D3)
        _perm(
            "PM7",
            "C7",
            D(2026, 1, 5),
            cla_id="CLA7",
            placement_order_date=D(2026, 6, 30),
            matched_date=D(2026, 7, 10),
            decision_reversed_date=D(2026, 8, 1),
            decision_reversed_reason="RD1",
            adopter_family_id="FAM7",
        ),
        # adoption order from the period's E12 ceased date
        _perm("PM8", "C8", D(2025, 3, 3), cla_id="CLA8", placed_for_adoption_date=D(2025, 9, 9)),
        # adoption order after A: still in, order blank; placed by A (not matched): family shown
        _perm(
            "PM10",
            "C10",
            D(2025, 11, 1),
            placed_for_adoption_date=D(2026, 1, 1),
            permanence_order_date=D(2026, 7, 5),
            permanence_order_type="ADOPTION",
            adopter_family_id="FAM10",
        ),
        # orphan: no such person
        _perm("PM99", "ZZ", D(2025, 11, 1)),
    ],
}


_DOB = D(2015, 5, 1)


def _row(cid, dob=_DOB, age=11, dis="c) Unknown", **kw):
    row = {
        "child_unique_id": cid,
        "family_identifier": None,
        "gender": "b) Female",
        "ethnicity": "a) WBRI",
        "date_of_birth": dob,
        "age": age,
        "disability": dis,
        "date_entered_care": None,
        "date_decision_placed_for_adoption": None,
        "date_placement_order": None,
        "date_matched": None,
        "date_placed_for_adoption": None,
        "date_adoption_order": None,
        "date_decision_reversed": None,
        "reason_decision_reversed": None,
        "date_placed_ffa_or_concurrent": None,
    }
    assert set(kw) <= set(row)
    row.update(kw)
    return row


EXPECTED = [
    _row(
        "C1",
        dob=D(2022, 3, 15),
        age=4,
        dis="a) Yes",
        family_identifier="FAM1",
        date_entered_care=D(2024, 11, 1),
        date_decision_placed_for_adoption=D(2025, 1, 10),
        date_placement_order=D(2025, 3, 1),
        date_matched=D(2025, 9, 1),
        date_placed_for_adoption=D(2025, 10, 1),
        date_placed_ffa_or_concurrent=D(2025, 5, 1),
    ),
    _row(
        "C10",
        family_identifier="FAM10",
        date_decision_placed_for_adoption=D(2025, 11, 1),
        date_placed_for_adoption=D(2026, 1, 1),
    ),
    _row(
        "C2",
        family_identifier="FAM2",
        date_entered_care=D(2024, 2, 1),
        date_decision_placed_for_adoption=D(2024, 6, 1),
        date_placement_order=D(2024, 8, 1),
        date_matched=D(2024, 12, 1),
        date_placed_for_adoption=D(2025, 1, 5),
        date_adoption_order=D(2025, 6, 30),
    ),
    _row(
        "C4",
        date_decision_placed_for_adoption=D(2025, 2, 1),
        date_decision_reversed=D(2025, 6, 30),
        reason_decision_reversed="RD3 - Prospective adopters could not be found",
    ),
    _row(
        "C7",
        date_entered_care=D(2025, 12, 1),
        date_decision_placed_for_adoption=D(2026, 1, 5),
        date_placement_order=D(2026, 6, 30),
    ),
    _row(
        "C8",
        date_entered_care=D(2023, 5, 5),
        date_decision_placed_for_adoption=D(2025, 3, 3),
        date_placed_for_adoption=D(2025, 9, 9),
        date_adoption_order=D(2026, 3, 1),
    ),
]


def test_list_10_scope_edges_masking_and_family(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={10})[10]
    assert [k for k in rows[0] if not k.startswith("_")] == reference.list_spec(10, "later").keys
    assert [published(r) for r in rows] == EXPECTED
    assert [r["_record_id"] for r in rows] == ["PM1", "PM10", "PM2", "PM4", "PM7", "PM8"]
    assert [r["_person_id"] for r in rows] == ["C1", "C10", "C2", "C4", "C7", "C8"]


def test_list_10_is_the_same_under_2019(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, version="2019", lists={10})[10]
    assert [published(r) for r in rows] == EXPECTED
