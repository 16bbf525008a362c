"""Fault injection (issue 4, deliverable 7; issue 14.2: 31 classes): each class corrupts exactly
the records its manifest names, the built lists show the facts the validation rules will see,
tolerated classes give the clean CMS's values, and the classes that break the contract or change
the CMS during the extract stop the extract naming what is missing, or leave no trace.

The checks read the database with their own SQL (not faults.py's queries), so a wrong choice of
records in faults.py cannot hide behind the same mistake here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import stat
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from annexa.core.dates import Windows
from annexa.source import faults
from annexa.source.extract import extract
from annexa.source.faults import (
    CLASSES,
    FAULT_CLASSES,
    FORMULA_VALUES,
    GATE_CLASSES,
    FaultError,
    concurrent_change,
    control_value,
    inject,
    long_value,
    non_utf8_value,
    write_manifest,
)
from annexa.source.synthetic import generate
from annexa.transform.mapping import load_mapping
from annexa.transform.runner import build

AS_AT = dt.date(2026, 3, 31)
W = Windows.for_date(AS_AT)
SEED = 1
RULES = {
    "duplicate_key": "ssd_contacts:key_unique:cont_contact_id",
    "orphan_child": "ssd_contacts:child_joins:cont_person_id",
    "placeholder_date": "ssd_cin_episodes:placeholder_value:cine_referral_date",
    "future_date": "ssd_cin_assessments:future_date:cina_assessment_start_date",
    "unmapped_code": "list_8:required:placement_type",
    "end_before_start": "list_7:date_order:cp_plan_end_date",
    "birth_after_care": "list_8:event_after_birth:date_started_looked_after",
    "missing_dob": "list_8:required:date_of_birth",
    "icpc_without_plan": "cross:icpc_plan_in_list_7",
    "null_key": "ssd_cin_assessments:key_not_null:cina_assessment_id",
    "leading_zeros": "ssd_cin_episodes:id_leading_zeros:cine_person_id",
    "placeholder_text": "ssd_early_help_episodes:placeholder_value:earl_episode_worker_id",
    "overlapping_cla_episodes": "ssd_cla_episodes:no_overlap:clae_cla_episode_start_date",
    "overlapping_placements": "ssd_cla_placement:no_overlap:clap_cla_placement_start_date",
    "overlapping_cp_plans": "ssd_cp_plans:no_overlap:cppl_cp_plan_start_date",
    "two_dobs": "ssd_person:dob_agrees:pers_dob",
    "empty_table": "ssd_care_leavers:not_empty",
    "whitespace_code": None,
    "case_code": None,
    "non_utf8_text": None,
    "control_characters": None,
    "long_text": None,
    "formula_text": None,
    "text_in_date": "ssd_cin_episodes:date_parses:cine_close_date",
    "datetime_with_time": None,
    "mixed_date_formats": None,
    "alias_column": None,
    "extra_column": None,
}
# ids per record: 1 for most classes; both rows of each overlapping pair; every referral of a
# child for leading_zeros; one table or column for the table- and column-level classes
PER_RECORD = {
    "overlapping_cla_episodes": 2,
    "overlapping_placements": 2,
    "overlapping_cp_plans": 2,
}
WHOLE = {"empty_table", "alias_column", "extra_column"}
EH = "select earl_episode_id, earl_person_id from ssd_early_help_episodes"
# class -> SQL giving (record id, person id) of the records whose ids the manifest lists
PERSON_OF = {
    "duplicate_key": "select cont_contact_id, cont_person_id from ssd_contacts",
    "orphan_child": "select cont_contact_id, cont_person_id from ssd_contacts",
    "placeholder_date": "select cine_referral_id, cine_person_id from ssd_cin_episodes",
    "future_date": "select cina_assessment_id, cina_person_id from ssd_cin_assessments",
    "unmapped_code": "select clae_cla_id, clae_person_id from ssd_cla_episodes",
    "end_before_start": "select cppl_cp_plan_id, cppl_person_id from ssd_cp_plans",
    "birth_after_care": "select clae_cla_id, clae_person_id from ssd_cla_episodes",
    "missing_dob": "select clae_cla_id, clae_person_id from ssd_cla_episodes",
    "icpc_without_plan": "select s47e_s47_enquiry_id, s47e_person_id from ssd_s47_enquiry",
    "null_key": "select '(no key) person ' || cina_person_id, cina_person_id "
    "from ssd_cin_assessments where cina_assessment_id is null",
    "leading_zeros": "select cine_referral_id, cine_person_id from ssd_cin_episodes",
    "placeholder_text": EH,
    "overlapping_cla_episodes": "select clae_cla_episode_id, clae_person_id from ssd_cla_episodes",
    "overlapping_placements": "select p.clap_cla_placement_id, e.clae_person_id "
    "from ssd_cla_placement p join ssd_cla_episodes e on e.clae_cla_id = p.clap_cla_id",
    "overlapping_cp_plans": "select cppl_cp_plan_id, cppl_person_id from ssd_cp_plans",
    "two_dobs": "select pers_person_id, pers_person_id from ssd_person",
    "whitespace_code": "select clae_cla_id, clae_person_id from ssd_cla_episodes",
    "case_code": "select clae_cla_id, clae_person_id from ssd_cla_episodes",
    "non_utf8_text": EH,
    "control_characters": EH,
    "long_text": EH,
    "formula_text": EH,
    "text_in_date": "select cine_referral_id, cine_person_id from ssd_cin_episodes",
    "datetime_with_time": "select cine_referral_id, cine_person_id from ssd_cin_episodes",
    "mixed_date_formats": "select cont_contact_id, cont_person_id from ssd_contacts",
}


def _overlap_sql(table: str, key: str, group: str, start: str, end: str) -> str:
    far = "'9999-12-31'"
    return (
        f"select distinct a.{key} from {table} a join {table} b on a.{group} = b.{group} "
        f"and a.{key} <> b.{key} and a.{start} < coalesce(b.{end}, {far}) "
        f"and b.{start} < coalesce(a.{end}, {far})"
    )


@pytest.fixture(scope="module")
def clean_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("clean") / "cms.db"
    generate(f"sqlite:///{db}", scale="small", seed=SEED, as_at=AS_AT)
    return db


def _copy(clean_db: Path, folder: Path, name: str = "cms.db") -> str:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(clean_db, folder / name)
    return f"sqlite:///{folder / name}"


@pytest.fixture(scope="module")
def faulted(clean_db, tmp_path_factory) -> tuple[str, dict]:
    url = _copy(clean_db, tmp_path_factory.mktemp("faulted"))
    return url, inject(url, AS_AT, seed=SEED)


def _ids(url: str, sql: str, **params) -> set[str]:
    engine = sa.create_engine(url)

    @sa.event.listens_for(engine, "connect")
    def _lenient(dbapi_conn, _record) -> None:  # the non_utf8_text class's bytes
        dbapi_conn.text_factory = lambda b: b.decode("utf-8", "replace")

    try:
        with engine.connect() as c:
            return {str(r[0]) for r in c.execute(sa.text(sql), params)}
    finally:
        engine.dispose()


def test_there_are_31_classes_and_inject_does_every_gate_class(faulted):
    _, manifest = faulted
    assert len(CLASSES) == 31 and len(GATE_CLASSES) == 28
    assert {c.kind for c in FAULT_CLASSES if c.name not in GATE_CLASSES} == {
        "extract",
        "during_extract",
    }
    assert list(manifest) == list(GATE_CLASSES) == list(RULES)
    for name, f in manifest.items():
        assert f["rule"] == RULES[name], name
        assert f["severity"] == ("tolerated" if RULES[name] is None else f["severity"])
        assert f["ids"] == sorted(f["ids"]) and all(isinstance(i, str) for i in f["ids"])
        assert len(set(f["ids"])) == len(f["ids"]) == f["injected"] and f["description"]
        if name in WHOLE:
            assert len(f["ids"]) == 1, name
        elif name == "formula_text":  # one record per risky first character
            assert len(f["ids"]) == len(FORMULA_VALUES) == 4
        elif name != "leading_zeros":
            assert len(f["ids"]) == 3 * PER_RECORD.get(name, 1), name
    assert len(manifest["leading_zeros"]["ids"]) >= 3


def test_each_fault_is_present_for_exactly_the_manifest_ids(faulted):
    url, m = faulted
    a, w6 = AS_AT.isoformat(), W.w6_start.isoformat()
    checks = {
        "duplicate_key": (
            "select cont_contact_id from ssd_contacts group by cont_contact_id having count(*) > 1",
            {},
        ),
        "orphan_child": (
            "select c.cont_contact_id from ssd_contacts c left join ssd_person p "
            "on p.pers_person_id = c.cont_person_id where p.pers_person_id is null "
            "and c.cont_contact_date between :w6 and :a",
            {"w6": w6, "a": a},
        ),
        "placeholder_date": (
            "select cine_referral_id from ssd_cin_episodes where cine_referral_date = '1900-01-01'",
            {},
        ),
        "future_date": (
            "select cina_assessment_id from ssd_cin_assessments "
            "where cina_assessment_start_date > :a",
            {"a": a},
        ),
        "unmapped_code": (
            "select clap_cla_id from ssd_cla_placement where clap_cla_placement_type = 'ZZ9'",
            {},
        ),
        "end_before_start": (
            "select cppl_cp_plan_id from ssd_cp_plans "
            "where cppl_cp_plan_end_date < cppl_cp_plan_start_date",
            {},
        ),
        "birth_after_care": (
            "select distinct e.clae_cla_id from ssd_cla_episodes e "
            "join ssd_person p on p.pers_person_id = e.clae_person_id "
            "where coalesce(e.clae_entered_care_date, "
            "e.clae_cla_episode_start_date) < p.pers_dob",
            {},
        ),
        "missing_dob": (
            "select distinct e.clae_cla_id from ssd_cla_episodes e "
            "join ssd_person p on p.pers_person_id = e.clae_person_id "
            "where p.pers_dob is null and p.pers_expected_dob is null",
            {},
        ),
        "icpc_without_plan": (
            "select s.s47e_s47_enquiry_id from ssd_s47_enquiry s "
            "join ssd_initial_cp_conference i on i.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id "
            "where i.icpc_icpc_outcome_cp_flag = 'Y' and i.icpc_icpc_date between :w6 and :a "
            "and not exists (select 1 from ssd_cp_plans p "
            "where p.cppl_person_id = s.s47e_person_id)",
            {"w6": w6, "a": a},
        ),
        "null_key": (
            "select '(no key) person ' || cina_person_id from ssd_cin_assessments "
            "where cina_assessment_id is null",
            {},
        ),
        "leading_zeros": (
            "select cine_referral_id from ssd_cin_episodes "
            "where cine_person_id not in (select pers_person_id from ssd_person) "
            "and '00' || cine_person_id in (select pers_person_id from ssd_person)",
            {},
        ),
        "placeholder_text": (
            "select earl_episode_id from ssd_early_help_episodes "
            "where earl_episode_worker_id = 'SSD_PH'",
            {},
        ),
        "overlapping_cla_episodes": (
            _overlap_sql(
                "ssd_cla_episodes",
                "clae_cla_episode_id",
                "clae_person_id",
                "clae_cla_episode_start_date",
                "clae_cla_episode_ceased_date",
            ),
            {},
        ),
        "overlapping_placements": (
            _overlap_sql(
                "ssd_cla_placement",
                "clap_cla_placement_id",
                "clap_cla_id",
                "clap_cla_placement_start_date",
                "clap_cla_placement_end_date",
            ),
            {},
        ),
        "overlapping_cp_plans": (
            _overlap_sql(
                "ssd_cp_plans",
                "cppl_cp_plan_id",
                "cppl_person_id",
                "cppl_cp_plan_start_date",
                "cppl_cp_plan_end_date",
            ),
            {},
        ),
        "two_dobs": (
            "select pers_person_id from ssd_person group by pers_person_id "
            "having count(distinct pers_dob) > 1",
            {},
        ),
        "empty_table": (
            "select 'ssd_care_leavers' where (select count(*) from ssd_care_leavers) = 0",
            {},
        ),
        "whitespace_code": (
            "select p.clap_cla_id from ssd_cla_placement p "
            "where p.clap_cla_placement_type <> trim(p.clap_cla_placement_type, ' ' || char(9))",
            {},
        ),
        "case_code": (
            "select distinct e.clae_cla_id from ssd_cla_episodes e join ssd_person p "
            "on p.pers_person_id = e.clae_person_id "
            "where p.pers_ethnicity <> upper(p.pers_ethnicity)",
            {},
        ),
        "non_utf8_text": (
            "select earl_episode_id from ssd_early_help_episodes "
            "where instr(cast(earl_episode_organisation as blob), x'E9') > 0",
            {},
        ),
        "control_characters": (
            "select earl_episode_id from ssd_early_help_episodes "
            "where instr(earl_episode_organisation, char(7)) > 0",
            {},
        ),
        "long_text": (
            "select earl_episode_id from ssd_early_help_episodes "
            "where length(earl_episode_organisation) = 10000",
            {},
        ),
        "formula_text": (
            "select earl_episode_id from ssd_early_help_episodes "
            "where substr(earl_episode_organisation, 1, 1) in ('=', '+', '-', '@')",
            {},
        ),
        "text_in_date": (
            "select cine_referral_id from ssd_cin_episodes "
            "where cine_close_date in ('unknown', 'TBC', 'zz/zz/zzzz', '31/02/2026')",
            {},
        ),
        "datetime_with_time": (
            "select cine_referral_id from ssd_cin_episodes where length(cine_referral_date) > 10",
            {},
        ),
        "mixed_date_formats": (
            "select cont_contact_id from ssd_contacts "
            "where cont_contact_date not like '____-__-__'",
            {},
        ),
        "alias_column": (
            "select 'ssd_cin_plans.' || name from pragma_table_info('ssd_cin_plans') "
            "where name = 'cin_plan_id' and not exists (select 1 from "
            "pragma_table_info('ssd_cin_plans') where name = 'cinp_cin_plan_id')",
            {},
        ),
        "extra_column": (
            "select 'ssd_contacts.' || name from pragma_table_info('ssd_contacts') "
            "where name = 'cont_worker_notes'",
            {},
        ),
    }
    assert set(checks) == set(GATE_CLASSES)
    for name, (sql, params) in checks.items():
        assert _ids(url, sql, **params) == set(m[name]["ids"]), name
    # the duplicated keys are each held exactly twice; the table lost only its primary key
    assert _ids(
        url,
        "select count(*) from ssd_contacts where cont_contact_id in "
        f"({', '.join(repr(i) for i in m['duplicate_key']['ids'])}) "
        "group by cont_contact_id",
    ) == {"2"}
    engine = sa.create_engine(url)
    try:
        insp = sa.inspect(engine)
        assert not insp.get_pk_constraint("ssd_contacts")["constrained_columns"]
        cols = {c["name"]: c for c in insp.get_columns("ssd_contacts")}
        assert not cols["cont_contact_id"]["nullable"]
        assert not [t for t in insp.get_table_names() if "annexa_faults" in t]
    finally:
        engine.dispose()
    # class 7: born 30 days after the period started, so still born by A
    assert (
        _ids(
            url,
            "select distinct p.pers_dob from ssd_person p join ssd_cla_episodes e "
            "on e.clae_person_id = p.pers_person_id where e.clae_cla_id in "
            f"({', '.join(repr(i) for i in m['birth_after_care']['ids'])}) "
            "and p.pers_dob > :a",
            a=AS_AT.isoformat(),
        )
        == set()
    )
    # class 9: the enquiry's ICPC said a plan followed, but the child has no plan at all
    assert _ids(
        url,
        "select count(*) from ssd_cp_plans p join ssd_s47_enquiry s "
        "on s.s47e_person_id = p.cppl_person_id where s.s47e_s47_enquiry_id in "
        f"({', '.join(repr(i) for i in m['icpc_without_plan']['ids'])})",
    ) == {"0"}


def test_no_two_classes_touch_the_same_child(faulted):
    url, m = faulted
    persons: dict[str, set[str]] = {}
    for name, f in m.items():
        if name in WHOLE:
            continue
        engine = sa.create_engine(url)
        try:
            with engine.connect() as c:
                rows = c.execute(sa.text(PERSON_OF[name])).all()
        finally:
            engine.dispose()
        persons[name] = {str(p) for rid, p in rows if str(rid) in set(f["ids"])}
        assert len(persons[name]) == (4 if name == "formula_text" else 3), name
    names = list(persons)
    for i, x in enumerate(names):
        for y in names[i + 1 :]:
            assert not persons[x] & persons[y], (x, y)


def test_injection_is_deterministic_for_a_seed(clean_db, faulted, tmp_path):
    _, first = faulted
    again = inject(_copy(clean_db, tmp_path / "again"), AS_AT, seed=SEED)
    assert again == first
    other = inject(_copy(clean_db, tmp_path / "other"), AS_AT, seed=SEED + 1)
    assert [f["rule"] for f in other.values()] == [f["rule"] for f in first.values()]
    assert any(other[n]["ids"] != first[n]["ids"] for n in GATE_CLASSES)


def test_a_subset_of_classes_and_the_shortfall_are_reported(clean_db, tmp_path):
    url = _copy(clean_db, tmp_path / "subset")
    m = inject(url, AS_AT, per_class=10_000, seed=SEED, classes=["end_before_start"])
    assert list(m) == ["end_before_start"]
    f = m["end_before_start"]
    assert f["requested"] == 10_000 and 1 <= f["injected"] < 10_000 == f["requested"]
    assert len(f["ids"]) == f["injected"]
    assert _ids(
        url,
        "select cppl_cp_plan_id from ssd_cp_plans "
        "where cppl_cp_plan_end_date < cppl_cp_plan_start_date",
    ) == set(f["ids"])
    # nothing else was touched: no placeholder, no duplicate key
    assert not _ids(
        url, "select cine_referral_id from ssd_cin_episodes where cine_referral_date < '1901-01-01'"
    )
    assert not _ids(
        url, "select cont_contact_id from ssd_contacts group by cont_contact_id having count(*) > 1"
    )
    with pytest.raises(FaultError, match="unknown fault class"):
        inject(url, AS_AT, classes=["no_such_fault"])


def test_a_class_without_candidates_raises_and_changes_nothing(clean_db, tmp_path, monkeypatch):
    url = _copy(clean_db, tmp_path / "none")
    before = (tmp_path / "none" / "cms.db").read_bytes()
    monkeypatch.setitem(faults._INJECTORS, "orphan_child", lambda ctx, n: [])
    with pytest.raises(FaultError, match="orphan_child"):
        inject(url, AS_AT, seed=SEED)  # duplicate_key has already rebuilt ssd_contacts here
    assert (tmp_path / "none" / "cms.db").read_bytes() == before


def test_manifest_file_is_json_for_the_owner_only(faulted, tmp_path):
    _, m = faulted
    path = tmp_path / "out" / "faults.json"
    path.parent.mkdir()
    path.write_text("{}")
    path.chmod(0o644)
    assert write_manifest(path, m) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == m


def _lists(url: str, folder: Path, only: set[int]) -> tuple[dict[int, list[dict]], dict]:
    snap = extract(url, folder / "snapshot", progress=lambda _msg: None)
    result = build(
        snap,
        folder / "work",
        W,
        la_code="999",
        la_name="Synthshire",
        version="later",
        mapping=load_mapping(None),
        only_lists=only,
    )
    lists = {n: pq.read_table(p).to_pylist() for n, p in result.lists.items()}
    return lists, json.loads((snap / "manifest.json").read_text())


@pytest.fixture(scope="module")
def built(faulted, clean_db, tmp_path_factory):
    url, _ = faulted
    lists, snap = _lists(url, tmp_path_factory.mktemp("built"), {1, 2, 3, 5, 7, 8})
    clean, _ = _lists(f"sqlite:///{clean_db}", tmp_path_factory.mktemp("clean"), {1, 2, 3, 8})
    return lists, clean, snap


def _by_id(rows: list[dict]) -> dict[str, dict]:
    return {str(r["_record_id"]): r for r in rows}


def test_tolerated_classes_give_the_clean_values(faulted, built):
    _, m = faulted
    lists, clean, _ = built
    for name, n, columns in (
        ("whitespace_code", 8, ["placement_type"]),
        ("case_code", 8, ["gender", "ethnicity"]),
        ("datetime_with_time", 3, ["date_of_referral"]),
        ("mixed_date_formats", 1, ["date_of_contact"]),
    ):
        got, want = _by_id(lists[n]), _by_id(clean[n])
        for rid in m[name]["ids"]:
            for col in columns:
                assert got[rid][col] == want[rid][col] is not None, (name, rid, col)
    l2, c2 = _by_id(lists[2]), _by_id(clean[2])
    org = "assessment_organisation"
    for rid in m["non_utf8_text"]["ids"]:  # read as Windows-1252
        assert l2[rid][org] == non_utf8_value(c2[rid][org])
    for rid in m["control_characters"]["ids"]:  # removed
        assert control_value(c2[rid][org]) != c2[rid][org] == l2[rid][org]
    for rid in m["long_text"]["ids"]:  # whole
        assert l2[rid][org] == long_value(c2[rid][org]) and len(l2[rid][org]) == 10_000
    formulas = {l2[rid][org] for rid in m["formula_text"]["ids"]}
    assert formulas == set(FORMULA_VALUES)  # the list holds the text; writers neutralise it


def test_the_snapshot_manifest_counts_what_the_extract_normalised(faulted, built):
    _, m = faulted
    _, _, snap = built
    t = snap["tables"]
    assert t["ssd_cin_plans"]["aliased"] == {"cinp_cin_plan_id": "cin_plan_id"}
    assert t["ssd_cin_plans"]["rows"] > 0 and not t["ssd_cin_plans"]["missing_optional"]
    assert t["ssd_contacts"]["extra_columns"] == ["cont_worker_notes"]
    assert t["ssd_contacts"]["reformatted_dates"] == {"cont_contact_date": 3}
    assert t["ssd_early_help_episodes"]["control_characters"] == {"earl_episode_organisation": 3}
    assert t["ssd_early_help_episodes"]["recoded_text"] == 3
    assert t["ssd_cin_episodes"]["unparseable_dates"] == {"cine_close_date": 3}
    assert t["ssd_cin_episodes"]["unparseable_ids"] == {"cine_close_date": m["text_in_date"]["ids"]}
    assert t["ssd_care_leavers"]["rows"] == 0
    # nothing else was normalised: the other tables are as clean as generated
    for name, info in t.items():
        for k in ("reformatted_dates", "control_characters", "unparseable_dates"):
            assert not info[k] or name in (
                "ssd_contacts",
                "ssd_early_help_episodes",
                "ssd_cin_episodes",
            )


def test_the_built_lists_show_each_fault_on_exactly_its_records(faulted, built):
    url, m = faulted
    lists, _, _ = built
    l5, l7, l8 = lists[5], lists[7], lists[8]

    def ids(rows, keep) -> set[str]:
        return {str(r["_record_id"]) for r in rows if keep(r)}

    assert ids(l8, lambda r: not r["placement_type"]) == set(m["unmapped_code"]["ids"])
    assert ids(l8, lambda r: r["date_of_birth"] is None) == set(m["missing_dob"]["ids"])
    assert ids(
        l8,
        lambda r: (
            r["date_of_birth"] is not None and r["date_started_looked_after"] < r["date_of_birth"]
        ),
    ) == set(m["birth_after_care"]["ids"])
    assert ids(
        l7,
        lambda r: (
            r["cp_plan_end_date"] is not None and r["cp_plan_end_date"] < r["cp_plan_start_date"]
        ),
    ) == set(m["end_before_start"]["ids"])
    yes = [r for r in l5 if (r["icpc_resulted_in_cp_plan"] or "").startswith("a) Yes")]
    on_7 = {r["_person_id"] for r in l7}
    assert ids(yes, lambda r: r["_person_id"] not in on_7) == set(m["icpc_without_plan"]["ids"])
    assert set(m["icpc_without_plan"]["ids"]) <= {str(r["_record_id"]) for r in l5}


@pytest.mark.parametrize(
    ("fault", "named"),
    [
        ("missing_table", "source lacks required table(s): ssd_cla_health"),
        (
            "missing_column",
            "source table ssd_cin_assessments lacks required column(s): cina_assessment_start_date",
        ),
    ],
)
def test_contract_faults_stop_the_extract_naming_exactly_what_is_missing(
    clean_db, tmp_path, monkeypatch, fault, named
):
    from annexa.pipeline import RunConfig, SourceUnavailable, extract_step

    monkeypatch.setenv("ANNEXA_HOME", str(tmp_path / "home"))
    url = _copy(clean_db, tmp_path / fault)
    m = inject(url, AS_AT, seed=SEED, classes=[fault])
    assert list(m) == [fault] and m[fault]["rule"].startswith("extract:")
    cfg = RunConfig(
        as_at=AS_AT.isoformat(),
        la_code="999",
        la_name="",
        version="later",
        layout="ofsted",
        out_dir=str(tmp_path / "out"),
        source_conn_id="annexa_cms",
        mapping=None,
        run_key="fault",
    ).to_dict()
    with pytest.raises(SourceUnavailable) as err:
        extract_step(cfg, url, progress=lambda _m: None)
    msg = str(err.value)
    assert named in msg and "'annexa_cms'" in msg and "Nothing was extracted" in msg
    table = m[fault]["ids"][0].split(".")[0]  # exactly the injected table or column
    assert set(re.findall(r"ssd_\w+", msg.split("could not be read:")[1])) == {table}
    assert not (tmp_path / "home" / "snapshots" / "999" / AS_AT.isoformat() / "fault").exists()
    assert not (tmp_path / "out").exists()


def test_a_cms_changing_during_the_extract_gives_the_state_at_its_start(clean_db, tmp_path):
    """SQLite in WAL mode lets another session commit while the extract reads: the snapshot
    still has every contact deleted after it began and none added (one read transaction)."""
    url = _copy(clean_db, tmp_path / "live")
    engine = sa.create_engine(url)
    with engine.connect() as c:
        c.exec_driver_sql("pragma journal_mode=wal")
    engine.dispose()
    callback, entry = concurrent_change(url, AS_AT, per_class=3, seed=SEED)
    snap = extract(url, tmp_path / "snap", progress=callback)
    assert entry["outcome"] == "committed" and entry["injected"] == 3
    now = _ids(url, "select cont_contact_id from ssd_contacts")
    assert set(entry["ids"]) <= now and not set(entry["deleted"]) & now  # the CMS did change
    got = {
        str(x) for x in pq.read_table(snap / "ssd_contacts").column("cont_contact_id").to_pylist()
    }
    assert not set(entry["ids"]) & got and set(entry["deleted"]) <= got
    assert len(got) == len(now)  # as many as before: 3 added, 3 deleted, none seen


def test_without_wal_the_reader_blocks_the_writer(clean_db, tmp_path):
    """In SQLite's default journal the extract's read lock keeps a writer from committing: the
    change fails (after the writer's timeout) and the snapshot is the CMS as it is."""
    url = _copy(clean_db, tmp_path / "locked")
    callback, entry = concurrent_change(url, AS_AT, per_class=2, seed=SEED)
    snap = extract(url, tmp_path / "snap", progress=callback)
    assert entry["outcome"] == "blocked"
    got = {
        str(x) for x in pq.read_table(snap / "ssd_contacts").column("cont_contact_id").to_pylist()
    }
    assert got == _ids(url, "select cont_contact_id from ssd_contacts")


def test_both_readers_write_the_same_snapshot_of_the_faulted_cms(faulted, tmp_path, monkeypatch):
    """The ADBC reader (the default on SQLite) and the generic SQLAlchemy path normalise every
    fault the same way: identical parts (schema, values, rows per part) and identical manifest
    counts (reformatted, unparseable with their ids, control characters, recoded text, aliases,
    extra columns)."""
    import json

    import pyarrow.parquet as pq

    from annexa.source.contract import TABLES

    url, _ = faulted
    fast = extract(url, tmp_path / "adbc", progress=lambda _m: None)
    monkeypatch.setenv("ANNEXA_EXTRACT_READER", "sqlalchemy")
    slow = extract(url, tmp_path / "generic", progress=lambda _m: None)
    mf = json.loads((fast / "manifest.json").read_text())
    ms = json.loads((slow / "manifest.json").read_text())
    assert (mf["reader"], ms["reader"]) == ("adbc-sqlite", "sqlalchemy")
    for t in TABLES:
        a, b = pq.read_table(fast / t.name), pq.read_table(slow / t.name)
        assert a.schema == b.schema and a.to_pylist() == b.to_pylist(), t.name
        fa, fs = mf["tables"][t.name], ms["tables"][t.name]
        for k in (
            "rows",
            "missing_optional",
            "aliased",
            "unparseable_dates",
            "unparseable_ids",
            "reformatted_dates",
            "control_characters",
            "recoded_text",
            "extra_columns",
        ):
            assert fa[k] == fs[k], (t.name, k)
        assert [f["rows"] for f in fa["files"]] == [f["rows"] for f in fs["files"]], t.name
    counted = {
        k
        for t in mf["tables"].values()
        for k in t
        if t[k] and k.endswith(("_dates", "_text", "characters"))
    }
    assert {
        "reformatted_dates",
        "unparseable_dates",
        "control_characters",
        "recoded_text",
    } <= counted
