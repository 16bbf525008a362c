"""One DAG, many LAs (issue 9.3): with an LA registry, annex_a maps one branch per LA through a
real dag.test() run; the faulted LA fails alone (its own report, nothing published), the other
two publish under OUT/<la>/, each asset event names its LA and the pack DAG's task packs exactly
the LAs that published."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annexa.source.faults import inject

CLEAN = ("201", "202")
FAULTY = "203"


@pytest.fixture(scope="module")
def three_las(airflow_db, small_cms, tmp_path_factory):
    url, as_at = small_cms
    root = tmp_path_factory.mktemp("las")
    src = Path(url.removeprefix("sqlite:///"))
    entries, env = [], {}
    for code in (*CLEAN, FAULTY):
        db = root / f"cms_{code}.db"
        shutil.copy(src, db)
        if code == FAULTY:
            inject(f"sqlite:///{db}", as_at, per_class=2, seed=3)
        conn_id = f"cms_{code}"
        env[f"AIRFLOW_CONN_{conn_id.upper()}"] = json.dumps(
            {"conn_type": "generic", "extra": {"sqlalchemy_url": f"sqlite:///{db}"}}
        )
        entries.append(f'  - code: "{code}"\n    name: LA {code}\n    connection: {conn_id}\n')
    (root / "liia.yaml").write_text("person_id: pers_person_id\n")
    entries[1] += "    layout: liia\n    mapping: liia.yaml\n"
    registry = root / "las.yaml"
    registry.write_text("las:\n" + "".join(entries))
    out = root / "out"

    mp = pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)
    mp.setenv("ANNEXA_LAS", str(registry))
    try:
        from airflow.dag_processing.dagbag import DagBag

        bag = DagBag(dag_folder=str(Path(__file__).resolve().parents[2] / "dags" / "annex_a.py"))
        dag = bag.dags["annex_a"]
        dr = dag.test(run_conf={"as_at": as_at.isoformat(), "out_dir": str(out)})
    finally:
        mp.undo()

    from airflow.models.asset import AssetEvent
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    with create_session() as s:
        tis = {
            (t.task_id, t.map_index): str(t.state)
            for t in s.query(TaskInstance).filter(
                TaskInstance.dag_id == "annex_a", TaskInstance.run_id == dr.run_id
            )
        }
        events = [
            dict(e.extra or {})
            for e in s.query(AssetEvent).filter(AssetEvent.source_run_id == dr.run_id)
        ]
    return {"dr": dr, "dag": dag, "tis": tis, "events": events, "out": out, "as_at": as_at}


def _index(r, code: str) -> int:
    return [*CLEAN, FAULTY].index(code)  # map index = registry order


def test_each_la_is_a_mapped_branch_and_only_the_faulted_one_fails(three_las):
    r = three_las
    assert str(r["dr"].state) == "failed"  # the run says something needs attention ...
    tis = r["tis"]
    assert tis[("configure", -1)] == "success"
    for code in CLEAN:  # ... but every clean LA went all the way
        i = _index(r, code)
        for step in ("extract", "build", "validate", "publish"):
            assert tis[(step, i)] == "success", (code, step)
    i = _index(r, FAULTY)
    assert tis[("extract", i)] == tis[("build", i)] == "success"
    assert tis[("validate", i)] == "failed" and tis[("publish", i)] == "upstream_failed"
    assert len([k for k in tis if k[0] == "publish"]) == 3


def test_clean_las_publish_under_their_own_folder_and_the_faulted_one_nothing(three_las):
    r = three_las
    day = r["as_at"].isoformat()
    for code in CLEAN:
        latest = r["out"] / code / "latest"
        manifest = json.loads((latest / "manifest.json").read_text())
        assert latest.resolve() == (r["out"] / code / day).resolve()
        assert manifest["la_code"] == code and manifest["la_name"] == f"LA {code}"
        assert manifest["validation"]["errors"] == 0
        assert (latest / f"annex_a_{code}_{day}.xlsx").is_file()
    liia = json.loads((r["out"] / "202" / "latest" / "manifest.json").read_text())
    assert liia["layout"] == "liia" and liia["mapping"].endswith("liia.yaml")
    assert json.loads((r["out"] / "201" / "latest" / "manifest.json").read_text())["layout"] == (
        "ofsted"
    )
    assert not (r["out"] / FAULTY).exists()


def test_the_faulted_la_has_its_own_report(three_las):
    import os
    import re

    r = three_las
    runs = Path(os.environ["ANNEXA_HOME"]) / "runs" / FAULTY / r["as_at"].isoformat()
    folder = runs / re.sub(r"[^A-Za-z0-9_.-]+", "_", r["dr"].run_id)[:120]  # the run's key
    summary = json.loads((folder / "validation.json").read_text())
    assert summary["la_code"] == FAULTY and summary["published"] is False
    assert summary["errors"] > 0
    assert (folder / "report.html").is_file() and (folder / "worklist.csv").is_file()


def test_asset_events_name_the_la_and_the_pack_packs_exactly_those(three_las):
    from annexa.pack.make import packs_from_context

    r = three_las
    assert sorted(e["la_code"] for e in r["events"]) == list(CLEAN)
    assert {e["as_at"] for e in r["events"]} == {r["as_at"].isoformat()}
    packs = packs_from_context({}, r["events"] + r["events"][:1])  # a repeated event: once
    assert sorted(p["la_code"] for p in packs) == list(CLEAN)
    for code in CLEAN:
        assert (r["out"] / code / "packs" / r["as_at"].isoformat() / "pack.html").is_file()
    assert not (r["out"] / FAULTY).exists()


def test_concurrency_is_bounded(three_las):
    dag = three_las["dag"]
    for step in ("extract", "build", "validate", "publish"):
        assert dag.get_task(step).max_active_tis_per_dagrun == 2
