"""Golden: List 2 Early help. Expected rows worked out by hand from annex_a.md §3 and §5 List 2
(D2, D3, D13) and source_contract.md §5.3."""

import datetime as dt

import pytest

from annexa import reference
from golden.cms import build_lists, person, published

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)  # W6 starts 30/12/2025 (annex_a.md §3.1)


def _episode(eid, pid, start, end=None, org="Family Hub North"):
    return {
        "earl_episode_id": eid,
        "earl_person_id": pid,
        "earl_episode_start_date": start,
        "earl_episode_end_date": end,
        "earl_episode_organisation": org,
        "earl_episode_worker_id": "SSD_PH",
    }


ROWS = {
    "ssd_person": [
        person("P1", D(2010, 6, 30)),
        person("P2", None, pers_expected_dob=D(2026, 9, 1)),
        person("P3", D(2012, 1, 15), pers_gender="M", pers_ethnicity="BAFR"),
    ],
    "ssd_early_help_episodes": [
        _episode("E1", "P1", D(2025, 6, 1), D(2025, 12, 29)),  # ended the day before W6: out
        _episode("E2", "P1", D(2025, 6, 1), D(2025, 12, 30)),  # ended on W6's first day: in
        _episode("E3", "P1", D(2026, 1, 10)),  # open: in, no completion date
        _episode("E10", "P1", D(2026, 1, 10), org="Youth Team"),  # same start: id order as text
        _episode("E4", "P1", D(2026, 3, 1), D(2026, 7, 15)),  # ends after A: shown open (D3)
        _episode("E5", "P1", D(2026, 7, 1)),  # starts after A: out (D3)
        _episode("E6", "P1", D(2026, 6, 30), D(2026, 6, 30)),  # starts and ends on A: in (D2)
        _episode("E7", "P2", D(2026, 5, 1)),  # unborn child
        _episode("E8", "P3", D(2024, 1, 1), org="EH01"),  # long-running, still open
        _episode("E9", "P9", D(2026, 2, 1)),  # orphan (no person): out
    ],
}

P1 = {
    "child_unique_id": "P1",
    "gender": "b) Female",
    "ethnicity": "a) WBRI",
    "date_of_birth": D(2010, 6, 30),
    "age": 16,
}
P2 = {
    "child_unique_id": "P2",
    "gender": "b) Female",
    "ethnicity": "a) WBRI",
    "date_of_birth": D(2026, 9, 1),
    "age": -1,
}
P3 = {
    "child_unique_id": "P3",
    "gender": "a) Male",
    "ethnicity": "o) BAFR",
    "date_of_birth": D(2012, 1, 15),
    "age": 14,
}

EXPECTED = [
    {
        **P1,
        "assessment_start_date": D(2025, 6, 1),
        "assessment_completion_date": D(2025, 12, 30),
        "assessment_organisation": "Family Hub North",
    },
    {
        **P1,
        "assessment_start_date": D(2026, 1, 10),
        "assessment_completion_date": None,
        "assessment_organisation": "Youth Team",
    },
    {
        **P1,
        "assessment_start_date": D(2026, 1, 10),
        "assessment_completion_date": None,
        "assessment_organisation": "Family Hub North",
    },
    {
        **P1,
        "assessment_start_date": D(2026, 3, 1),
        "assessment_completion_date": None,
        "assessment_organisation": "Family Hub North",
    },
    {
        **P1,
        "assessment_start_date": D(2026, 6, 30),
        "assessment_completion_date": D(2026, 6, 30),
        "assessment_organisation": "Family Hub North",
    },
    {
        **P2,
        "assessment_start_date": D(2026, 5, 1),
        "assessment_completion_date": None,
        "assessment_organisation": "Family Hub North",
    },
    {
        **P3,
        "assessment_start_date": D(2024, 1, 1),
        "assessment_completion_date": None,
        "assessment_organisation": "EH01",
    },
]


def test_list_2_window_masking_order(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={2})[2]
    assert [published(r) for r in rows] == EXPECTED
    assert [r["_record_id"] for r in rows] == ["E2", "E10", "E3", "E4", "E6", "E7", "E8"]
    assert [r["_person_id"] for r in rows] == ["P1"] * 5 + ["P2", "P3"]


def test_list_2_organisation_code_lookup_from_la_mapping(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("organisations:\n  eh01: Early Help Hub West\n")
    rows = build_lists(tmp_path, ROWS, A, lists={2}, mapping=mapping)[2]
    assert [r["assessment_organisation"] for r in rows] == [
        "Family Hub North",
        "Youth Team",
        "Family Hub North",
        "Family Hub North",
        "Family Hub North",
        "Family Hub North",
        "Early Help Hub West",
    ]


def test_list_2_earlier_as_at_date(tmp_path):
    # As at 31/03/2026 (W6 from 30/09/2025): E2's end (30/12/2025) is in W6; E6 and E7 start
    # after A; E4 is open. E1 ended 29/12/2025, also in this W6.
    rows = build_lists(tmp_path, ROWS, D(2026, 3, 31), lists={2})[2]
    assert [(r["_record_id"], r["assessment_completion_date"]) for r in rows] == [
        ("E1", D(2025, 12, 29)),
        ("E2", D(2025, 12, 30)),
        ("E10", None),
        ("E3", None),
        ("E4", None),
        ("E8", None),
    ]


def test_list_2_columns_in_order_then_hidden(tmp_path):
    rows = build_lists(tmp_path, ROWS, A, lists={2})[2]
    keys = list(rows[0])
    assert [k for k in keys if not k.startswith("_")] == [
        c.key for c in reference.list_spec(2).columns
    ]
    assert keys[: len(reference.list_spec(2).columns) + 2][-2:] == ["_record_id", "_person_id"]
    assert len({r["_record_id"] for r in rows}) == len(rows)
