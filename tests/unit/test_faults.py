"""Fault injection (issue 4, deliverable 7): each class corrupts exactly the records its manifest
names, and the built lists show the facts the validation rules will see.

The checks read the database with their own SQL (not faults.py's queries), so a wrong choice of
records in faults.py cannot hide behind the same mistake here.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import stat
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from annexa.core.dates import Windows
from annexa.source import faults
from annexa.source.extract import extract
from annexa.source.faults import CLASSES, FaultError, inject, write_manifest
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
}
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
}


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
    try:
        with engine.connect() as c:
            return {str(r[0]) for r in c.execute(sa.text(sql), params)}
    finally:
        engine.dispose()


def test_manifest_names_every_class_its_rule_and_three_ids(faulted):
    _, manifest = faulted
    assert list(manifest) == list(CLASSES) == list(RULES)
    for name, f in manifest.items():
        assert f["rule"] == RULES[name]
        assert f["requested"] == f["injected"] == 3 == len(f["ids"])
        assert f["ids"] == sorted(f["ids"]) and all(isinstance(i, str) for i in f["ids"])
        assert len(set(f["ids"])) == 3 and f["description"]


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
    }
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
        engine = sa.create_engine(url)
        try:
            with engine.connect() as c:
                rows = c.execute(sa.text(PERSON_OF[name])).all()
        finally:
            engine.dispose()
        persons[name] = {str(p) for rid, p in rows if str(rid) in set(f["ids"])}
        assert len(persons[name]) == 3, name  # one child per record
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
    assert any(other[n]["ids"] != first[n]["ids"] for n in CLASSES)


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


def test_the_built_lists_show_each_fault_on_exactly_its_records(faulted, tmp_path):
    url, m = faulted
    snap = extract(url, tmp_path / "snapshot", progress=lambda _msg: None)
    result = build(
        snap,
        tmp_path / "work",
        W,
        la_code="999",
        la_name="Synthshire",
        version="later",
        mapping=load_mapping(None),
        only_lists={5, 7, 8},
    )
    lists = {n: pq.read_table(p).to_pylist() for n, p in result.lists.items()}
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
