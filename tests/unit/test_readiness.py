"""annexa.readiness on hand-made folders: the latest good return and its age, the last run's
outcome (published / failed validation / failed elsewhere / running), the top failing rules,
the four link targets and nothing else; the page escapes what it shows."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from annexa.readiness import file_for, readiness, render_page

TODAY = dt.date(2026, 4, 10)


def _json(path: Path, doc: dict, mtime: float | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def _published(out: Path, la: str, as_at: str, run: str, pack: bool = True) -> None:
    folder = out / la / as_at
    book = f"annex_a_{la}_{as_at}.xlsx"
    _json(
        folder / "manifest.json",
        {
            "la_code": la,
            "la_name": f"LA {la}",
            "as_at": as_at,
            "run": run,
            "files": {book: {}, "x.csv": {}},
            "validation": {"errors": 0, "warnings": 2},
        },
    )
    (folder / book).write_bytes(b"PK")
    (out / la / "latest").symlink_to(as_at)
    if pack:
        (out / la / "packs" / as_at).mkdir(parents=True)
        (out / la / "packs" / as_at / "pack.html").write_text("<html>")


def _run(home: Path, la: str, as_at: str, run: str, status: dict | None, summary=None, t=0.0):
    folder = home / "runs" / la / as_at / run
    folder.mkdir(parents=True)
    if status is not None:
        _json(folder / "status.json", status, 1_800_000_000 + t)
    if summary is not None:
        _json(folder / "validation.json", summary, 1_800_000_000 + t)
        (folder / "report.html").write_text("<html>report</html>")
        (folder / "worklist.csv").write_text("rule,record_id\n")
    return folder


RULES = [
    {"id": "w1", "severity": "warning", "blocking": False, "success": False, "unexpected_count": 9},
    {"id": "e1", "severity": "error", "blocking": True, "success": False, "unexpected_count": 2},
    {"id": "e2", "severity": "error", "blocking": True, "success": False, "unexpected_count": 7},
    {"id": "ok", "severity": "error", "blocking": False, "success": True, "unexpected_count": 0},
]


@pytest.fixture
def folders(tmp_path, monkeypatch):
    monkeypatch.delenv("ANNEXA_LAS", raising=False)
    out, home = tmp_path / "out", tmp_path / "home"
    # 201: published on its last run
    _published(out, "201", "2026-03-31", "r2")
    _run(home, "201", "2026-02-28", "r1", {"step": "publish", "state": "done"}, {}, t=1)
    _run(home, "201", "2026-03-31", "r2", {"step": "publish", "state": "done"}, {}, t=2)
    # 202: an older good return; the last run failed validation
    _published(out, "202", "2026-02-28", "r1", pack=False)
    summary = {"la_code": "202", "published": False, "errors": 2, "warnings": 1, "rules": RULES}
    _run(home, "202", "2026-03-31", "r3", {"step": "validate", "state": "failed"}, summary, t=3)
    # 203: never published; the last run could not reach its CMS
    _run(
        home,
        "203",
        "2026-03-31",
        "r4",
        {"step": "extract", "state": "failed", "error": "SourceUnavailable"},
        t=4,
    )
    # 204: running
    _run(home, "204", "2026-03-31", "r5", {"step": "build", "state": "running"}, t=5)
    return out, home


def test_each_la_latest_good_return_age_and_last_outcome(folders):
    out, home = folders
    doc = readiness(out, home, TODAY)
    by = {x["la_code"]: x for x in doc["las"]}
    assert list(by) == ["201", "202", "203", "204"]
    a = by["201"]
    assert a["la_name"] == "LA 201"
    assert a["latest"]["as_at"] == "2026-03-31" and a["latest"]["age_days"] == 10
    assert a["latest"]["workbook"] and a["latest"]["pack"]
    assert a["last_run"]["outcome"] == "published" and a["last_run"]["run"] == "r2"
    b = by["202"]
    assert b["latest"]["as_at"] == "2026-02-28" and b["latest"]["age_days"] == 41
    assert not b["latest"]["pack"]
    last = b["last_run"]
    assert last["outcome"] == "failed validation" and last["errors"] == 2
    assert [r["id"] for r in last["top_rules"]] == ["e2", "e1", "w1"]  # errors first, largest
    assert last["top_rules"][0] == {"id": "e2", "severity": "error", "blocking": True, "failing": 7}
    assert last["report"] and last["worklist"]
    c = by["203"]
    assert c["latest"] is None
    assert c["last_run"]["outcome"] == "failed elsewhere"
    assert (c["last_run"]["step"], c["last_run"]["error"]) == ("extract", "SourceUnavailable")
    assert by["204"]["last_run"]["outcome"] == "running"


def test_registered_las_without_any_run_are_listed(folders, tmp_path, monkeypatch):
    out, home = folders
    reg = tmp_path / "las.yaml"
    reg.write_text('las:\n  - code: "205"\n    name: Newham\n    connection: c205\n')
    monkeypatch.setenv("ANNEXA_LAS", str(reg))
    by = {x["la_code"]: x for x in readiness(out, home, TODAY)["las"]}
    assert by["205"] == {"la_code": "205", "la_name": "Newham", "latest": None, "last_run": None}


def test_links_point_at_exactly_four_files(folders):
    out, home = folders
    assert file_for("201", "workbook", out=out, home=home).name == "annex_a_201_2026-03-31.xlsx"
    assert file_for("201", "pack", out=out, home=home).name == "pack.html"
    assert file_for("202", "report", out=out, home=home).parent.name == "r3"  # the last run's
    assert file_for("202", "worklist", out=out, home=home).name == "worklist.csv"
    for la, kind in [
        ("202", "pack"),  # no pack
        ("203", "workbook"),  # never published
        ("201", "manifest"),  # not a link kind
        ("..", "report"),
        ("201/../202", "report"),
    ]:
        with pytest.raises(FileNotFoundError):
            file_for(la, kind, out=out, home=home)


def test_the_page_shows_every_la_and_escapes(folders):
    out, home = folders
    doc = readiness(out, home, TODAY)
    doc["las"][0]["la_name"] = "<script>alert(1)</script>"
    html = render_page(doc, "/annexa")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    for la in ("201", "202", "203", "204"):
        assert f'id="la-{la}"' in html
    assert "failed validation</span>: 2 error(s)" in html
    assert "failed elsewhere</span>: extract (SourceUnavailable)" in html
    assert 'href="/annexa/files/201/workbook"' in html
    assert 'href="/annexa/files/202/pack"' not in html
