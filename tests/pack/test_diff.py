"""Pack: "what changed" against the previous published return, on two small hand-made returns
written here as published CSVs (Ofsted headers, DD/MM/YYYY dates, as write_csvs writes them)
and as build Parquet. Expected counts and keys worked out by hand from the row keys in
annexa.pack.diff (Lists 6-10: Child Unique ID; Lists 1-5: Child Unique ID and the main date).
"""

import csv
import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annexa import reference
from annexa.pack.diff import (
    diff_returns,
    previous_return,
    published_csvs,
    read_list,
    row_key,
)

pytestmark = pytest.mark.golden

D = dt.date


def _write_csv(folder, la, as_at, number, rows):
    """A published list CSV: every column of the list, blanks where the row names none."""
    spec = reference.list_spec(number)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"annex_a_{la}_{as_at}_list_{number}.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(spec.headers())
        for r in rows:
            w.writerow([r.get(k, "") for k in spec.keys])
    return path


def _write_parquet(path, number, rows):
    """A build Parquet: typed columns (dates as dates) plus hidden '_' columns."""
    spec = reference.list_spec(number)
    arrow = {"date": pa.date32(), "integer": pa.int32()}
    fields = [pa.field(c.key, arrow.get(c.type, pa.string())) for c in spec.columns]
    fields.append(pa.field("_person_id", pa.string()))
    data = {f.name: [r.get(f.name) for r in rows] for f in fields}
    pq.write_table(pa.table(data, schema=pa.schema(fields)), path)
    return path


def _c(cid, day, source="a) 1A: Individual"):
    return {
        "child_unique_id": cid,
        "gender": "b) Female",
        "date_of_contact": day,
        "contact_source": source,
    }


def _la(cid, start, placements, ceased=""):
    return {
        "child_unique_id": cid,
        "date_started_looked_after": start,
        "placements_last_12_months": placements,
        "date_ceased_looked_after": ceased,
    }


PREV_L1 = [
    _c("C1", "01/02/2026"),
    _c("C1", "05/02/2026"),
    _c("C2", "10/02/2026"),
    _c("C3", "11/02/2026"),
]
CUR_L1 = [
    _c("C1", "01/02/2026"),  # unchanged
    _c("C1", "05/02/2026", "q) 6: Police"),  # same key, source changed: changed
    _c("C2", "12/02/2026"),  # new date: added; 10/02 removed
    _c("C3", "11/02/2026"),
    _c("C3", "11/02/2026", "q) 6: Police"),  # second contact: added
    _c("C4", "20/03/2026"),  # new child: added
]
PREV_L8 = [_la("C1", "01/01/2025", "1"), _la("C2", "01/01/2025", "1"), _la("C3", "01/01/2025", "2")]
CUR_L8 = [
    _la("C1", "01/01/2025", "1"),  # unchanged
    _la("C2", "01/03/2026", "2"),  # child-level: new period = changed
    _la("C4", "01/04/2026", "1"),  # added; C3 removed
]
CUR_L3 = [
    {"child_unique_id": f"R{i:02d}", "date_of_referral": "01/03/2026"} for i in range(1, 13)
]  # 12 new referrals, none before


@pytest.fixture
def returns(tmp_path):
    prev_dir, cur_dir = tmp_path / "2026-03-31", tmp_path / "2026-06-30"
    previous = {
        1: _write_csv(prev_dir, "999", "2026-03-31", 1, PREV_L1),
        3: _write_csv(prev_dir, "999", "2026-03-31", 3, []),
        8: _write_csv(prev_dir, "999", "2026-03-31", 8, PREV_L8),
    }
    current = {
        1: _write_csv(cur_dir, "999", "2026-06-30", 1, CUR_L1),
        3: _write_csv(cur_dir, "999", "2026-06-30", 3, CUR_L3),
        8: _write_csv(cur_dir, "999", "2026-06-30", 8, CUR_L8),
    }
    return current, previous


def _by_list(result):
    return {x["list"]: x for x in result["lists"]}


def test_row_keys():
    assert row_key(1) == ("child_unique_id", "date_of_contact")
    assert row_key(5) == ("child_unique_id", "s47_start_date")
    for n in (6, 7, 8, 9, 10):
        assert row_key(n) == ("child_unique_id",)
    assert row_key(11) == ("individual_adopter_id",)


def test_event_list_added_removed_changed(returns):
    current, previous = returns
    l1 = _by_list(diff_returns(current, previous))[1]
    assert l1 == {
        "list": 1,
        "title": "List 1: Contacts",
        "added": 3,
        "removed": 1,
        "changed": 1,
        "added_ids": ["C2, 12/02/2026", "C3, 11/02/2026", "C4, 20/03/2026"],
        "removed_ids": ["C2, 10/02/2026"],
        "changed_ids": ["C1, 05/02/2026"],
    }


def test_child_level_list_keyed_on_child(returns):
    current, previous = returns
    l8 = _by_list(diff_returns(current, previous))[8]
    assert (l8["added"], l8["removed"], l8["changed"]) == (1, 1, 1)
    assert (l8["added_ids"], l8["removed_ids"], l8["changed_ids"]) == (["C4"], ["C3"], ["C2"])
    assert l8["title"] == "List 8: Children in care"


def test_examples_capped_at_ten(returns):
    current, previous = returns
    l3 = _by_list(diff_returns(current, previous))[3]
    assert (l3["added"], l3["removed"], l3["changed"]) == (12, 0, 0)
    assert l3["added_ids"] == [f"R{i:02d}, 01/03/2026" for i in range(1, 11)]


def test_previous_as_at_from_file_name_then_manifest(returns, tmp_path):
    current, previous = returns
    assert diff_returns(current, previous)["previous_as_at"] == "2026-03-31"
    (tmp_path / "2026-03-31" / "manifest.json").write_text(json.dumps({"as_at": "2026-03-30"}))
    assert diff_returns(current, previous)["previous_as_at"] == "2026-03-30"


def test_no_previous_return_gives_zeros(returns):
    current, _ = returns
    result = diff_returns(current, None)
    assert result["previous_as_at"] is None
    assert [x["list"] for x in result["lists"]] == [1, 3, 8]
    for x in result["lists"]:
        assert (x["added"], x["removed"], x["changed"]) == (0, 0, 0)
        assert x["added_ids"] == x["removed_ids"] == x["changed_ids"] == []


def test_list_missing_from_previous_is_all_added(returns):
    current, previous = returns
    current = {
        **current,
        9: _write_csv(
            current[1].parent,
            "999",
            "2026-06-30",
            9,
            [{"child_unique_id": "Y1"}, {"child_unique_id": "Y2"}],
        ),
    }
    l9 = _by_list(diff_returns(current, previous))[9]
    assert (l9["added"], l9["removed"], l9["changed"], l9["added_ids"]) == (2, 0, 0, ["Y1", "Y2"])


def test_parquet_compares_like_for_like_with_published_csv(tmp_path):
    # the same two children as a build Parquet (typed) and as the previous return's CSV:
    # no differences; then one value changed in the Parquet
    typed = [
        {
            "child_unique_id": "-5",
            "date_started_looked_after": D(2025, 1, 1),
            "placements_last_12_months": 1,
            "_person_id": "P1",
        },
        {
            "child_unique_id": "C2",
            "date_started_looked_after": D(2025, 2, 1),
            "placements_last_12_months": 3,
            "_person_id": "P2",
        },
    ]
    prev = _write_csv(
        tmp_path / "prev",
        "999",
        "2026-03-31",
        8,
        [_la("'-5", "01/01/2025", "1"), _la("C2", "01/02/2025", "3")],
    )
    cur = _write_parquet(tmp_path / "l8.parquet", 8, typed)
    assert read_list(8, cur) == read_list(8, prev)
    l8 = _by_list(diff_returns({8: cur}, {8: prev}))[8]
    assert (l8["added"], l8["removed"], l8["changed"]) == (0, 0, 0)

    typed[0]["placements_last_12_months"] = 2
    cur = _write_parquet(tmp_path / "l8b.parquet", 8, typed)
    l8 = _by_list(diff_returns({8: cur}, {8: prev}))[8]
    # the formula guard on "-5" is undone for display
    assert (l8["changed"], l8["changed_ids"]) == (1, ["-5"])


def test_published_csvs(returns):
    current, _ = returns
    folder = current[1].parent
    (folder / "annex_a_999_2026-06-30.xlsx").write_bytes(b"")
    assert published_csvs(folder) == current


def test_previous_return_is_the_latest_earlier_published_date(tmp_path):
    la_dir = tmp_path / "999"
    for day in ("2026-02-28", "2026-03-31", "2026-06-30"):
        release = la_dir / ".releases" / f"{day}__run"
        _write_csv(release, "999", day, 1, [_c("C1", "01/02/2026")])
        (la_dir / day).symlink_to(f".releases/{day}__run")
    prev = previous_return(la_dir, D(2026, 6, 30))
    assert prev == {1: la_dir / "2026-03-31" / "annex_a_999_2026-03-31_list_1.csv"}
    assert (
        diff_returns(published_csvs(la_dir / "2026-06-30"), prev)["previous_as_at"] == "2026-03-31"
    )
    assert previous_return(la_dir, D(2026, 2, 28)) is None
    assert previous_return(tmp_path / "nothing", D(2026, 2, 28)) is None
