"""Issue 14.1 through real DAG runs: a synthetic LA with unallocated cases publishes. The blank
Allocated Worker is a warning (annex_a D26: "unallocated cases are an inspection finding, not a
formatting error"), each unallocated row is on the worklist, and the pack's lines of enquiry show
them by child (DD08) and by team (DD10)."""

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from annexa.cli import run_dag, run_pack_dag

LA = "998"
WORKER_FIELDS = {
    "ssd_cin_episodes": ("cine_person_id", ["cine_referral_worker_id"]),
    "ssd_cin_assessments": ("cina_person_id", ["cina_assessment_worker_id"]),
    "ssd_cin_plans": ("cinp_person_id", ["cinp_cin_plan_worker_id"]),
    "ssd_s47_enquiry": ("s47e_person_id", ["s47e_s47_completed_by_worker_id"]),
    "ssd_care_leavers": (
        "clea_person_id",
        ["clea_care_leaver_worker_id", "clea_care_leaver_personal_advisor"],
    ),
}


def _list_csv(release: Path, n: int) -> list[dict]:
    (path,) = release.glob(f"annex_a_{LA}_*_list_{n}.csv")
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _blank(v) -> bool:
    return v is None or not str(v).strip()


def _unallocate(url: str, persons: set[str]) -> None:
    """Take every worker (and personal adviser) off these persons' records, keeping teams."""
    engine = sa.create_engine(url)
    md = sa.MetaData()
    md.reflect(engine)
    with engine.begin() as conn:
        inv = md.tables["ssd_involvements"]
        conn.execute(sa.delete(inv).where(inv.c.invo_person_id.in_(persons)))
        for table, (person, cols) in WORKER_FIELDS.items():
            t = md.tables[table]
            conn.execute(
                sa.update(t).where(t.c[person].in_(persons)).values({c: None for c in cols})
            )
    engine.dispose()


@pytest.fixture(scope="module")
def unallocated_run(airflow_db, small_cms, tmp_path_factory):
    url, as_at = small_cms
    out = tmp_path_factory.mktemp("out")
    state, _ = run_dag(url, as_at, out, la_code=LA)
    assert state == "success"
    clean = out / LA / as_at.isoformat()
    persons: set[str] = set()
    for n in (6, 7, 8, 9):  # two allocated children from each child list
        allocated = sorted(
            r["Child Unique ID"] for r in _list_csv(clean, n) if not _blank(r["Allocated Worker"])
        )
        persons |= set(allocated[:2])
    db = tmp_path_factory.mktemp("unallocated") / "cms.db"
    shutil.copy(url.removeprefix("sqlite:///"), db)
    _unallocate(f"sqlite:///{db}", persons)
    state, _ = run_dag(f"sqlite:///{db}", as_at, out, la_code=LA)
    runs = Path(os.environ["ANNEXA_HOME"]) / "runs" / LA / as_at.isoformat()
    folder = max(
        (p for p in runs.iterdir() if (p / "validation.json").is_file()),
        key=lambda p: (p / "validation.json").stat().st_mtime,
    )
    with (folder / "worklist.csv").open(newline="", encoding="utf-8-sig") as f:
        worklist = list(csv.DictReader(f))
    return {
        "state": state,
        "out": out,
        "as_at": as_at,
        "persons": persons,
        "release": out / LA / as_at.isoformat(),
        "summary": json.loads((folder / "validation.json").read_text()),
        "worklist": worklist,
    }


def test_the_return_with_unallocated_cases_is_published(unallocated_run):
    r = unallocated_run
    assert r["state"] == "success"
    manifest = json.loads((r["release"] / "manifest.json").read_text())
    assert manifest["validation"]["errors"] == 0
    assert r["summary"]["published"] is True


@pytest.mark.parametrize("n", [6, 7, 8, 9])
def test_each_unallocated_row_is_a_warning_on_the_worklist(unallocated_run, n):
    r = unallocated_run
    rows = _list_csv(r["release"], n)
    blank = {x["Child Unique ID"] for x in rows if _blank(x["Allocated Worker"])}
    chosen_here = r["persons"] & {x["Child Unique ID"] for x in rows}
    assert chosen_here and chosen_here <= blank  # the injected ones are blank on the list
    rule = f"list_{n}:required:allocated_worker"
    result = next(x for x in r["summary"]["rules"] if x["id"] == rule)
    assert result["severity"] == "warning" and not result["blocking"]
    listed = [w for w in r["worklist"] if w["rule"] == rule]
    assert {w["child_id"] for w in listed} == blank
    assert (
        len(listed)
        == result["unexpected_count"]
        == sum(1 for x in rows if _blank(x["Allocated Worker"]))
    )
    assert all(w["severity"] == "warning" for w in listed)


def test_the_pack_shows_them_by_child_and_by_team(unallocated_run):
    r = unallocated_run
    drills = {d["id"]: d for d in json.loads((r["release"] / "drilldowns.json").read_text())}
    dd08, dd10 = drills["DD08"], drills["DD10"]
    ids = {row[dd08["columns"].index("Child Unique ID")] for row in dd08["rows"]}
    open_chosen = set()
    for n, end in (
        (6, "CIN Closure Date"),
        (7, "Child Protection Plan End Date"),
        (8, "Date Ceased to be Looked After "),
        (9, None),
    ):
        for x in _list_csv(r["release"], n):
            if x["Child Unique ID"] in r["persons"] and (end is None or _blank(x.get(end))):
                open_chosen.add(x["Child Unique ID"])
    assert open_chosen and open_chosen <= ids
    total = dd10["columns"].index("Unallocated")
    assert sum(row[total] for row in dd10["rows"]) == len(dd08["rows"])
    state, folder = run_pack_dag(r["out"], LA)
    assert state == "success"
    html = (folder / "pack.html").read_text()
    assert "Unallocated open cases by team" in html
    assert all(pid in html for pid in open_chosen)
