"""The fast GX runner (issue 10) gives exactly what a plain Great Expectations run gives.

``GXRunner`` validates in two passes (BOOLEAN_ONLY, then COMPLETE for the rules that failed) and
switches off two GX planning costs while it validates; here the same suite runs through plain GX
(one COMPLETE pass, no shortcuts) and every rule must have the same outcome and failing ids.
"""

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annexa import reference
from annexa.core.dates import Windows
from annexa.validate.suites import load_suite

pytestmark = pytest.mark.unit

D = dt.date
SUITE = "annex_a_list_01_contacts"


@pytest.fixture(scope="module")
def frame_and_rules(tmp_path_factory):
    from annexa.validate.gate import _expectations, _list_frame

    w = Windows.for_date(D(2026, 3, 31))
    n = 40
    t = pa.table(
        {
            "child_unique_id": [str(i) for i in range(n - 1)] + [None],  # one missing id
            "gender": ["a) Male"] * (n - 2) + ["z) nonsense", "a) Male"],
            "ethnicity": ["a) WBRI"] * n,
            "date_of_birth": pa.array([D(2010, 3, 31)] * n, pa.date32()),
            "age": pa.array([16] * (n - 1) + [3], pa.int64()),  # the last age disagrees
            "date_of_contact": pa.array(
                [D(2026, 1, 1)] * (n - 3) + [D(2025, 9, 29), D(2026, 1, 1), D(2026, 1, 1)],
                pa.date32(),
            ),
            "contact_source": ["q) 6: Police"] * n,
            "_record_id": [f"C{i}" for i in range(n - 1)] + ["C0"],  # a duplicated key
            "_person_id": [str(i) for i in range(n)],
            "_dob_basis": ["recorded"] * n,
        }
    )
    path = tmp_path_factory.mktemp("gx") / "l1.parquet"
    pq.write_table(t, path)
    df = _list_frame(path, 1, "later", w.as_at)
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
    return df, _expectations(load_suite(SUITE), g, cols)


@pytest.fixture(scope="module")
def source_frame_and_rules(tmp_path_factory):
    """A check frame of ssd_cin_episodes (sql/checks/ssd_cin_episodes.sql's columns), read the
    way the gate reads it, with blanks in the date and text columns (a column map drops them
    from its domain) and a failing row for each kind of rule."""
    import pandas as pd

    from annexa.validate.gate import _expectations

    n = 30
    day = (D(2025, 6, 1) - D(1970, 1, 1)).days
    ok = [True] * n
    t = pa.table(
        {
            "cine_referral_id": [f"R{i}" for i in range(n - 2)] + ["R0", "(no key) person 7"],
            "_raw_key": [f"R{i}" for i in range(n - 2)] + ["R0", None],  # a duplicate, a null
            "_joins__cine_person_id": ok[:-3] + [False] + ok[:2],
            "_child_id": [str(i) for i in range(n)],
            "_zeros__cine_person_id": ok[:-4] + [False] + ok[:3],
            "_joins__cine_referral_team": ok[:-5] + [False] + ok[:4],
            "_text__cine_person_id": [str(i) for i in range(n - 6)] + ["ssd_ph"] + ["1"] * 5,
            "cine_referral_date": pa.array(
                [day] * (n - 8) + [-25567, None, day + 5000] + [day] * 5, pa.int32()
            ),  # a 1900 placeholder, a blank, a date after the extraction
            "_parses__cine_referral_date": ok[:-9] + [False] + ok[:8],
            "_text__cine_referral_source_code": ["1a"] * (n - 10) + [None, "-1"] + ["1a"] * 8,
            "_text__cine_cin_primary_need_code": ["n1"] * n,
            "cine_close_date": pa.array([None] * (n - 12) + [day] * 12, pa.int32()),
            "_parses__cine_close_date": ok,
            "_text__cine_close_reason": [None] * (n - 1) + ["ssd_ph"],
            "_text__cine_referral_team": ["t1"] * n,
            "_text__cine_referral_worker_id": ["w1"] * (n - 13) + [None, "ssd_ph"] + ["w1"] * 11,
        }
    )
    path = tmp_path_factory.mktemp("gx") / "ssd_cin_episodes.parquet"
    pq.write_table(t, path)
    df = pd.read_parquet(path)
    g = type(
        "G",
        (),
        {
            "version": "later",
            "windows": Windows.for_date(D(2026, 3, 31)),
            "extracted_on": D(2026, 4, 1),
            "placeholders": ["ssd_ph", "-1"],
            "placeholder_before": D(1901, 1, 1),
        },
    )()
    return df, _expectations(load_suite("ssd_cin_episodes"), g)


def _plain_gx(df, rules: list[dict], id_column: str = "_record_id") -> dict:
    """The textbook run: one suite, one batch, COMPLETE with the id column, nothing skipped."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    ctx = gx.get_context(mode="ephemeral")
    suite = gx.ExpectationSuite(
        name="plain",
        expectations=[
            ExpectationConfiguration(
                type=e["type"], kwargs=e["kwargs"], meta=e["meta"]
            ).to_domain_obj()
            for e in rules
        ],
    )
    batch = (
        ctx.data_sources.add_pandas("plain")
        .add_dataframe_asset("plain")
        .add_batch_definition_whole_dataframe("whole")
        .get_batch(batch_parameters={"dataframe": df})
    )
    result = batch.validate(
        suite,
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": [id_column],
            "return_unexpected_index_query": False,
        },
    )
    out = {}
    for r in result.results:
        ids = {
            str(row[id_column])
            for row in (r.result or {}).get("unexpected_index_list") or []
            if isinstance(row, dict)
        }
        out[r.expectation_config.meta["rule"]] = (bool(r.success), sorted(ids))
    return out


def test_two_pass_runner_matches_a_plain_complete_run(frame_and_rules):
    from annexa.validate.gx_runner import GXRunner

    df, rules = frame_and_rules
    run = GXRunner().run(SUITE, df, rules, "_record_id")
    got = {r.id: (r.success, sorted(run.failing_ids.get(r.id, []))) for r in run.results}
    expected = _plain_gx(df, rules)
    assert len(run.results) == len(rules)
    assert got == expected
    failing = {k for k, (ok, _) in got.items() if not ok}
    assert {  # the planted faults are among them, with their record ids
        "list_1:in_window:date_of_contact",
        "list_1:age_matches_dob:age",
        "list_1:required:child_unique_id",
        "list_1:row_key_unique:_record_id",
        "list_1:code_in_list:gender",
    } <= failing
    assert got["list_1:in_window:date_of_contact"][1] == ["C37"]
    assert got["list_1:row_key_unique:_record_id"][1] == ["C0"]


def test_a_source_suite_with_blanks_matches_a_plain_complete_run(source_frame_and_rules):
    """The source suites' column maps run on GX's column domain narrowed to the column
    (``_column_domain``): same outcomes and failing ids as plain GX on the whole frame."""
    from annexa.validate.gx_runner import GXRunner

    df, rules = source_frame_and_rules
    key = "cine_referral_id"
    run = GXRunner().run("ssd_cin_episodes", df, rules, key)
    got = {r.id: (r.success, sorted(run.failing_ids.get(r.id, []))) for r in run.results}
    assert len(run.results) == len(rules)
    assert got == _plain_gx(df, rules, key)
    t = "ssd_cin_episodes"
    assert got[f"{t}:key_not_null:cine_referral_id"] == (False, ["(no key) person 7"])
    assert got[f"{t}:key_unique:cine_referral_id"] == (False, ["R0"])
    assert got[f"{t}:child_joins:cine_person_id"] == (False, ["R27"])
    assert got[f"{t}:placeholder_value:cine_person_id"] == (False, ["R24"])
    assert got[f"{t}:placeholder_value:cine_referral_date"] == (False, ["R22"])
    assert got[f"{t}:future_date:cine_referral_date"] == (False, ["R24"])
    assert got[f"{t}:placeholder_value:cine_referral_source_code"] == (False, ["R21"])
    assert got[f"{t}:placeholder_value:cine_referral_worker_id"] == (False, ["R18"])
    assert got[f"{t}:placeholder_value:cine_close_reason"] == (False, ["(no key) person 7"])
    assert got[f"{t}:future_date:cine_close_date"] == (True, [])


def test_the_gx_internals_the_shortcuts_touch_exist_and_are_restored(frame_and_rules):
    """A GX upgrade that renames them must fail here, not silently lose the speed-up."""
    from great_expectations.core import id_dict
    from great_expectations.execution_engine import pandas_execution_engine as pee
    from great_expectations.expectations.expectation import Expectation
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    from annexa.validate.gx_runner import GXRunner

    engine = pee.PandasExecutionEngine
    compute_domain = engine.__dict__["get_compute_domain"]
    prop = Expectation.__dict__["configuration"]
    assert isinstance(prop, property)
    to_domain_obj = ExpectationConfiguration.__dict__["to_domain_obj"]
    convert = id_dict.convert_to_json_serializable
    assert callable(id_dict.IDDict.to_id)
    threshold = pee.HASH_THRESHOLD
    df, rules = frame_and_rules
    GXRunner().run(SUITE, df, rules, "_record_id")
    assert Expectation.__dict__["configuration"] is prop
    assert ExpectationConfiguration.__dict__["to_domain_obj"] is to_domain_obj
    assert id_dict.convert_to_json_serializable is convert
    assert pee.HASH_THRESHOLD == threshold
    assert engine.__dict__["get_compute_domain"] is compute_domain


def test_plain_json_is_what_gx_would_serialise_unchanged():
    """The metric-id shortcut: data ``_plain_json`` accepts gives the same JSON text (so the
    same MD5 id) as GX's own conversion; anything it would change is left to GX."""
    import json

    import numpy as np
    from great_expectations.core.id_dict import IDDict
    from great_expectations.util import convert_to_json_serializable

    from annexa.validate.gx_runner import _plain_json

    plain = [
        {"column": "age", "batch_id": "b", "row_condition": None, "condition_parser": None},
        IDDict({"value_set": ["a) Male", "b) Female"], "mostly": 1.0, "parse": False}),
        {"min_value": -3, "max_value": 20550, "strict_min": True, "nested": {"k": (1, 2)}},
        {"x": float("inf")},
    ]
    for data in plain:
        assert _plain_json(data)
        ours = json.dumps(data, sort_keys=True)
        assert ours == json.dumps(convert_to_json_serializable(data), sort_keys=True)
    for data in (
        {"x": float("nan")},
        {"x": np.int64(3)},
        {"x": np.float64(1.5)},
        {"x": D(2026, 3, 31)},
        {1: "a"},
        {"x": {"a", "b"}},
    ):
        assert not _plain_json(data)
