"""Statutory returns: which collection year a run is for, and publication beside Annex A only
when DfE's rules found no errors (owner-only, atomic, OUT/<la>/returns/<year>/<date>)."""

import datetime as dt
import json

import pytest

from annexa.pipeline import returns_config
from annexa.returns.build import ReturnsBuild, collection_year
from annexa.returns.check import write_checked
from annexa.returns.publish import ReturnsBlocked, publish_returns
from annexa.returns.validators import Issue, ValidatorRun

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2026, 3, 31), 2026),
        (dt.date(2026, 4, 1), 2027),
        (dt.date(2025, 4, 1), 2026),
        (dt.date(2026, 12, 3), 2027),
    ],
)
def test_collection_year(day, year):
    assert collection_year(day) == year


def test_returns_config_year_and_reference_date(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNEXA_HOME", str(tmp_path))
    cfg = returns_config({"year": 2026}, run_id="manual__x")
    assert cfg["as_at"] == "2026-03-31"
    cfg = returns_config({"reference_date": "2025-03-31"}, run_id="manual__x")
    assert cfg["as_at"] == "2025-03-31"
    ran = dt.datetime(2026, 12, 1, 3, tzinfo=dt.UTC)
    assert returns_config({}, run_id="s", data_interval_start=ran)["as_at"] == "2027-03-31"
    with pytest.raises(ValueError, match="collection year 2026, not 2025"):
        returns_config({"year": 2025, "reference_date": "2026-03-31"}, run_id="m")


def _built(tmp_path):
    src = tmp_path / "work"
    (src / "ssda903").mkdir(parents=True)
    (src / "cin_census.xml").write_text("<Message/>")
    (src / "ssda903" / "header.csv").write_text("CHILD,SEX\r\n1,F\r\n")
    for name in ("validation.json", "report.html", "worklist.csv"):
        (src / name).write_text("{}")
    built = {
        "year": 2026,
        "reference_date": "2026-03-31",
        "cin_xml": str(src / "cin_census.xml"),
        "ssda903": {"header.csv": str(src / "ssda903" / "header.csv")},
        "rows": {"ret_903__header": 1},
    }
    return built, {"folder": str(src), "errors": 0, "warnings": 2, "validators": {}}


def test_publish_beside_annex_a(tmp_path):
    built, checked = _built(tmp_path)
    out = tmp_path / "out"
    public = publish_returns(out, "999", built, checked, run_key="r1")
    assert public == out / "999" / "returns" / "2026" / "2026-03-31"
    assert (out / "999" / "returns" / "2026" / "latest").resolve() == public.resolve()
    assert (public / "cin_census.xml").read_text() == "<Message/>"
    assert (public / "ssda903" / "header.csv").stat().st_mode & 0o777 == 0o600
    manifest = json.loads((public / "manifest.json").read_text())
    assert set(manifest["files"]) == {
        "cin_census.xml",
        "ssda903/header.csv",
        "validation.json",
        "report.html",
        "worklist.csv",
    }
    assert (out / "999").stat().st_mode & 0o777 == 0o700


def test_errors_block_publication(tmp_path):
    built, checked = _built(tmp_path)
    with pytest.raises(ReturnsBlocked, match="3 DfE rule"):
        publish_returns(tmp_path / "out", "999", built, checked | {"errors": 3}, run_key="r1")
    assert not (tmp_path / "out" / "999" / "returns" / "2026").exists()


def _run_359() -> ValidatorRun:
    # DfE's 903 rule 359 on one child, as the runner reports it: looked after past 18 at the
    # year's end (31/03/2027) with no date ceased
    issue = Issue("359", "looked after past 18", "error", "C1", "Episodes", ["DEC"], "0")
    return ValidatorRun("903", "lac2026_27", ["359", "101"], {}, [issue], [], [], {}, {})


def test_year_end_rule_blocks_a_return_and_warns_in_year(tmp_path):
    head = {"la_code": "999", "as_at": "2027-03-31"}
    final = write_checked(tmp_path / "final", [_run_359()], head)
    assert final.errors == 1 and final.summary["published"] is False
    assert final.summary["validators"]["ssda903"]["errors"] == ["359"]
    preview = write_checked(tmp_path / "preview", [_run_359()], head | {"in_year": True})
    assert preview.errors == 0 and preview.summary["published"] is True
    v = preview.summary["validators"]["ssda903"]
    assert v["errors"] == [] and v["year_end"] == ["359"]
    (rule,) = [r for r in preview.summary["rules"] if r["id"] == "ssda903:359"]
    assert rule["severity"] == "warning" and rule["sample_ids"] == ["C1"]
    assert "in-year preview" in rule["description"]
    assert [i.child_id for i in preview.items if i.severity == "warning"] == ["C1"]


def test_in_year_is_a_snapshot_taken_before_the_reference_date(tmp_path):
    def build(reference: dt.date, day: dt.date | None) -> ReturnsBuild:
        return ReturnsBuild(tmp_path, 2027, reference, tmp_path, {}, data_as_of=day)

    assert build(dt.date(2027, 3, 31), dt.date(2026, 12, 4)).in_year
    assert not build(dt.date(2027, 3, 31), dt.date(2027, 3, 31)).in_year
    assert not build(dt.date(2026, 3, 31), dt.date(2026, 12, 4)).in_year
    assert not build(dt.date(2027, 3, 31), None).in_year
    assert build(dt.date(2027, 3, 31), dt.date(2026, 12, 4)).to_dict()["data_as_of"] == (
        "2026-12-04"
    )


def test_published_manifest_says_in_year(tmp_path):
    built, checked = _built(tmp_path)
    built |= {"in_year": True, "data_as_of": "2025-12-04"}
    public = publish_returns(tmp_path / "out", "999", built, checked, run_key="r1")
    manifest = json.loads((public / "manifest.json").read_text())
    assert (manifest["in_year"], manifest["data_as_of"]) == (True, "2025-12-04")
