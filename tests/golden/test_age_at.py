"""Golden: the age at the as-at date A, one definition in the build and in the gate (annex_a.md
§3.7, decisions D4 and D5). Ages worked out by hand below.

D4: completed years at A; a birthday on A counts; a 29 February birthday is reached on 1 March
in a common year (so on 28/02/2026 a child born 29/02/2008 is still 17). D5: a child is unborn at
A when the recorded date of birth is after A, or when there is none and the expected date is
after A: age -1, Date of Birth the expected date, which can be on or before A (the baby was due
on or before A and born after it: what a month end rebuilt from a later snapshot sees). The
build decides; the gate (``age_matches_dob``) agrees with it on every row.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annexa.core.dates import age_at
from annexa.core.paths import sql_dir
from annexa.pipeline import backfill_from_snapshot
from annexa.source.extract import extract
from annexa.validate.gate import _ages_from_dob, expected_age
from golden.cms import make_cms, person

pytestmark = pytest.mark.golden

D = dt.date

# (date of birth, A, completed years), by hand
AGES = [
    (D(2010, 6, 30), D(2026, 6, 30), 16),  # birthday on A: reached
    (D(2010, 7, 1), D(2026, 6, 30), 15),  # birthday the day after A
    (D(2010, 6, 29), D(2026, 6, 30), 16),
    (D(2008, 2, 29), D(2026, 2, 28), 17),  # leap-day birthday, common year: not yet on 28/02
    (D(2008, 2, 29), D(2026, 3, 1), 18),  # ... reached on 1 March
    (D(2008, 2, 29), D(2028, 2, 29), 20),  # leap year: reached on 29/02
    (D(2008, 2, 29), D(2028, 2, 28), 19),
    (D(2008, 2, 28), D(2026, 2, 28), 18),
    (D(2008, 3, 1), D(2026, 2, 28), 17),
    (D(2025, 12, 31), D(2026, 12, 31), 1),  # first birthday on A (a month end)
    (D(2026, 1, 1), D(2026, 12, 31), 0),
    (D(2026, 12, 31), D(2026, 12, 31), 0),  # born on A
    (D(2000, 1, 1), D(2025, 12, 31), 25),
]


def _sql_age_at() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection holding the build's own ``age_at`` macro (sql/macros.sql)."""
    text = (sql_dir() / "macros.sql").read_text()
    macro = re.search(r"create or replace macro age_at\(.*?;", text, re.S)
    assert macro, "sql/macros.sql defines age_at"
    con = duckdb.connect()
    con.execute(macro.group(0))
    return con


def test_age_at_sql_and_python_agree_on_hand_worked_ages():
    """The one arithmetic in its three forms: ``core.dates.age_at`` (the gate's
    ``expected_age``), the gate's vectorised ``_ages_from_dob`` and the build's SQL macro."""
    con = _sql_age_at()
    for dob, at, age in AGES:
        assert age_at(dob, at) == age, (dob, at)
        assert expected_age(dob, "recorded", at) == age, (dob, at)
        arrow = _ages_from_dob(pa.chunked_array([[dob]], pa.date32()), pd.Series(["recorded"]), at)
        assert arrow.tolist() == [age], (dob, at)
        assert con.execute("select age_at(?::date, ?::date)", [dob, at]).fetchone() == (age,), (
            dob,
            at,
        )


A = D(2026, 2, 28)  # a common year: 29 February birthdays are not yet reached


def _contact(cid: str, pid: str) -> dict:
    return {
        "cont_contact_id": cid,
        "cont_person_id": pid,
        "cont_contact_date": D(2026, 2, 1),
        "cont_contact_source_code": "3A",
    }


PEOPLE = [
    # person, recorded date of birth, expected date of birth
    ("B1", D(2010, 2, 28), None),
    ("B2", D(2010, 3, 1), None),
    ("B3", D(2008, 2, 29), None),
    ("B4", D(2012, 2, 29), None),
    ("B5", D(2026, 2, 28), None),  # born on A
    ("U1", D(2026, 3, 5), D(2026, 2, 20)),  # overdue at A, born after it: unborn
    ("U2", D(2026, 3, 2), D(2026, 2, 28)),  # due on A, born after it: unborn
    ("U3", D(2026, 3, 9), None),  # born after A, no expected date: unborn, date blank
    ("U4", None, D(2026, 4, 1)),  # expected after A
    ("E1", None, D(2026, 2, 10)),  # expected date on or before A, no birth recorded (D5)
]

# child -> (Date of Birth, Age) as the list must publish them, by hand
EXPECTED = {
    "B1": (D(2010, 2, 28), 16),
    "B2": (D(2010, 3, 1), 15),
    "B3": (D(2008, 2, 29), 17),
    "B4": (D(2012, 2, 29), 13),
    "B5": (D(2026, 2, 28), 0),
    "U1": (D(2026, 2, 20), -1),
    "U2": (D(2026, 2, 28), -1),
    "U3": (None, -1),
    "U4": (D(2026, 4, 1), -1),
    "E1": (D(2026, 2, 10), 0),
}

ROWS = {
    "ssd_person": [person(p, dob, pers_expected_dob=edd) for p, dob, edd in PEOPLE],
    "ssd_contacts": [_contact(f"C{i}", p) for i, (p, _, _) in enumerate(PEOPLE)],
}


def test_month_end_from_a_later_snapshot_ages_and_gate(tmp_path, monkeypatch):
    """The CMS as it stands in March 2026 (U1, U2 and U3 born in March); the month end
    28/02/2026 rebuilt from it (annexa.pipeline.backfill_from_snapshot: build, gate, publish).
    The gate used to read U1 and U2 (shown with their expected dates, on or before A) as born,
    aged 0, and block the month: 4 of the demo's 11 back-filled months."""
    monkeypatch.setenv("ANNEXA_HOME", str(tmp_path / "home"))
    snap = extract(make_cms(tmp_path / "cms", ROWS), tmp_path / "snapshot")
    out = tmp_path / "out"
    params = {"la_code": "999", "la_name": "Synthshire", "out_dir": str(out)}
    assert backfill_from_snapshot(params, str(snap), [A]) == {A.isoformat(): "published"}
    manifest = json.loads((out / "999" / A.isoformat() / "manifest.json").read_text())
    assert manifest["validation"]["errors"] == 0
    run = tmp_path / "home" / "runs" / "999" / A.isoformat() / f"backfill__{A.isoformat()}"
    rows = pq.read_table(run / "lists" / "list_1.parquet").to_pylist()
    got = {x["child_unique_id"]: (x["date_of_birth"], x["age"]) for x in rows}
    assert got == EXPECTED
    # the gate's own reading of each row is the same age
    assert {
        x["child_unique_id"]: expected_age(x["date_of_birth"], x["_dob_basis"], A) for x in rows
    } == {k: age for k, (_, age) in EXPECTED.items()}
    rules = json.loads((run / "validation.json").read_text())["rules"]
    rule = next(x for x in rules if x["id"] == "list_1:age_matches_dob:age")
    assert rule["success"] and rule["unexpected_count"] == 0
