"""Unmapped CMS values are reported by list, column and value with a count (issue 3.3)."""

import datetime as dt

import pyarrow.parquet as pq
import pytest

from annexa.core.dates import Windows
from annexa.source.extract import extract
from annexa.transform.mapping import load_mapping
from annexa.transform.runner import build
from annexa.transform.unmapped import by_list_column
from golden.cms import make_cms, person

pytestmark = pytest.mark.golden

D = dt.date
A = D(2026, 6, 30)


def _contact(cid, pid, code, desc):
    return {
        "cont_contact_id": cid,
        "cont_person_id": pid,
        "cont_contact_date": D(2026, 5, 1),
        "cont_contact_source_code": code,
        "cont_contact_source_desc": desc,
    }


def test_unmapped_values_are_reported_with_counts_and_destinations(tmp_path):
    rows = {
        "ssd_person": [
            person("P1", pers_gender="Mle"),  # unmapped gender
            person("P2", pers_gender="Mle"),  # ... twice
            person("P3", pers_gender="M", pers_sex="Boy"),  # sex unmapped, but gender maps
            person("P4", pers_gender="   "),  # blank: a null, not an unmapped value
        ],
        "ssd_contacts": [
            _contact("C1", "P1", "6", "Police thing"),  # code maps: desc not needed
            _contact("C2", "P2", None, "Neighbour"),  # no code, unmapped description
            _contact("C3", "P3", "99", None),  # no such source code
        ],
        "ssd_cin_episodes": [
            {
                "cine_referral_id": "R1",
                "cine_person_id": "P1",
                "cine_referral_date": D(2026, 1, 5),
                "cine_referral_nfa": "N",
                "cine_close_date": D(2026, 3, 1),
                "cine_close_reason": "Moved away",
            },
        ],
    }
    url = make_cms(tmp_path / "cms", rows)
    snap = extract(url, tmp_path / "snap")
    result = build(
        snap, tmp_path / "work", Windows.for_date(A), la_code="999", mapping=load_mapping(None)
    )
    found = {(u.field, u.value): u.rows for u in result.unmapped}
    assert found == {
        ("ssd_person.pers_gender", "Mle"): 2,
        ("ssd_contacts.cont_contact_source_desc", "Neighbour"): 1,
        ("ssd_contacts.cont_contact_source_code", "99"): 1,
        ("ssd_cin_episodes.cine_close_reason", "Moved away"): 1,
    }
    report = by_list_column(result.unmapped)
    assert {
        "list": "List 1",
        "column": "contact_source",
        "field": "ssd_contacts.cont_contact_source_desc",
        "value": "Neighbour",
        "rows": 1,
    } in report
    assert {
        "list": "List 6",
        "column": "reason_for_closure",
        "field": "ssd_cin_episodes.cine_close_reason",
        "value": "Moved away",
        "rows": 1,
    } in report
    gender_lists = {r["list"] for r in report if r["field"] == "ssd_person.pers_gender"}
    assert gender_lists == {f"List {n}" for n in range(1, 11)}
    # the unmapped gender is a blank cell, never a default code (decision P6)
    genders = {
        r["child_unique_id"]: r["gender"] for r in pq.read_table(result.lists[1]).to_pylist()
    }
    assert genders["P1"] is None and genders["P2"] is None and genders["P3"] == "a) Male"


def test_2019_renderings_of_later_only_codes_are_counted(tmp_path):
    """annex_a §7, D11, D12: under 2019, later-only codes are written as older ones (or left
    out), each reported with a count; under the later revision nothing is reported."""
    rows = {
        "ssd_person": [person("P1"), person("P2")],
        "ssd_contacts": [
            _contact("C1", "P1", "5D", None),
            _contact("C2", "P2", "5D", None),
            _contact("C3", "P2", "6", None),
        ],
        "ssd_cin_episodes": [
            {
                "cine_referral_id": "R1",
                "cine_person_id": "P1",
                "cine_referral_date": D(2026, 1, 5),
                "cine_referral_nfa": "N",
                "cine_close_date": D(2026, 3, 1),
                "cine_close_reason": "RC9",
            }
        ],
    }
    url = make_cms(tmp_path / "cms", rows)
    snap = extract(url, tmp_path / "snap")
    old = build(
        snap,
        tmp_path / "w2019",
        Windows.for_date(A),
        la_code="999",
        version="2019",
        mapping=load_mapping(None),
    )
    assert old.renderings_2019 == [
        {
            "field": "ssd_cin_episodes.cine_close_reason",
            "code": "RC9",
            "rows": 1,
            "written_as": "RC8 - Case closed after assessment, no further action",
        },
        {
            "field": "ssd_contacts.cont_contact_source_code",
            "code": "5D",
            "rows": 2,
            "written_as": "o) 5B: LA services",
        },
    ]
    sources = [r["contact_source"] for r in pq.read_table(old.lists[1]).to_pylist()]
    assert sources.count("o) 5B: LA services") == 2
    later = build(
        snap, tmp_path / "wlater", Windows.for_date(A), la_code="999", mapping=load_mapping(None)
    )
    assert later.renderings_2019 == []
