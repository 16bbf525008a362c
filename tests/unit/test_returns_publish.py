"""Statutory returns: which collection year a run is for, and publication beside Annex A only
when DfE's rules found no errors (owner-only, atomic, OUT/<la>/returns/<year>/<date>)."""

import datetime as dt
import json

import pytest

from annexa.pipeline import returns_config
from annexa.returns.build import collection_year
from annexa.returns.publish import ReturnsBlocked, publish_returns

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
