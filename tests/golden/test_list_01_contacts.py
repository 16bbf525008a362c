"""Golden: List 1 Contacts. Expected rows worked out by hand from annex_a.md §3 and §5 List 1."""

import datetime as dt

from golden.cms import build_lists, person, published

D = dt.date
A = D(2026, 6, 30)  # W6 starts 30/12/2025 (annex_a.md §3.1)


def _contact(cid, pid, day, code=None, desc=None):
    return {
        "cont_contact_id": cid,
        "cont_person_id": pid,
        "cont_contact_date": day,
        "cont_contact_source_code": code,
        "cont_contact_source_desc": desc,
    }


ROWS = {
    "ssd_person": [
        person("P1", D(2010, 6, 30)),
        person("P2", None, pers_expected_dob=D(2026, 9, 1), pers_gender="U"),
        person("P3", D(2008, 2, 29), pers_gender=None, pers_ethnicity=None),
    ],
    "ssd_contacts": [
        _contact("C1", "P1", D(2025, 12, 29), "3A"),  # one day before W6: out
        _contact("C2", "P1", D(2025, 12, 30), "3A"),  # first day of W6: in
        _contact("C3", "P1", D(2026, 6, 30), "3A"),  # the as-at date: in
        _contact("C4", "P1", D(2026, 7, 1), "3A"),  # after A: out (D3)
        _contact("C5", "P2", D(2026, 5, 1), "5D"),
        _contact("C6", "P3", D(2026, 1, 15), None, "6"),  # code missing: description used
        _contact("C7", "P9", D(2026, 2, 1), "6"),  # orphan: no such person, excluded
    ],
}

LATER = [
    {
        "child_unique_id": "P1",
        "gender": "b) Female",
        "ethnicity": "a) WBRI",
        "date_of_birth": D(2010, 6, 30),
        "age": 16,
        "date_of_contact": D(2025, 12, 30),
        "contact_source": "g) 3A: Health services",
    },
    {
        "child_unique_id": "P1",
        "gender": "b) Female",
        "ethnicity": "a) WBRI",
        "date_of_birth": D(2010, 6, 30),
        "age": 16,
        "date_of_contact": D(2026, 6, 30),
        "contact_source": "g) 3A: Health services",
    },
    {
        "child_unique_id": "P2",
        "gender": "c) Not stated/recorded",
        "ethnicity": "a) WBRI",
        "date_of_birth": D(2026, 9, 1),
        "age": -1,
        "date_of_contact": D(2026, 5, 1),
        "contact_source": "p1) 5D: LA services",
    },
    {
        "child_unique_id": "P3",
        "gender": "c) Not stated/recorded",
        "ethnicity": "s) NOBT",
        "date_of_birth": D(2008, 2, 29),
        "age": 18,
        "date_of_contact": D(2026, 1, 15),
        "contact_source": "q) 6: Police",
    },
]


def test_list_1_rows_window_edges_unborn_and_defaults(tmp_path):
    lists = build_lists(tmp_path, ROWS, A, lists={1})
    assert [published(r) for r in lists[1]] == LATER
    assert [r["_record_id"] for r in lists[1]] == ["C2", "C3", "C5", "C6"]


def test_list_1_under_2019_renders_5d_as_5b(tmp_path):
    lists = build_lists(tmp_path, ROWS, A, version="2019", lists={1})
    assert [r["contact_source"] for r in lists[1]] == [
        "g) 3A: Health services",
        "g) 3A: Health services",
        "o) 5B: LA services",
        "q) 6: Police",
    ]
