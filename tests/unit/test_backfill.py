"""Backfills share work across month ends (issue 10.3): what reads no as-at parameter is built
and validated once per snapshot, and a month end built that way equals the same month end
built alone by the DAG's steps."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq
import pytest
from golden.cms import make_cms, person

from annexa.airflow_support import is_backfill
from annexa.core.constants import today_london
from annexa.core.registry import as_at_dependent, as_at_macros, queries
from annexa.pipeline import (
    ValidationFailed,
    backfill_months,
    build_step,
    extract_step,
    publish_step,
    resolve_run,
    shared_snapshot_dir,
    snapshot_extract,
    validate_step,
)
from annexa.source.extract import extract, verify_snapshot

MONTH = "2025-11-30"
LATER = "2026-02-28"  # built first in the backfill: the shared build rewinds to MONTH


def test_what_reads_the_as_at_date() -> None:
    assert {"as_at", "w6_start", "w12_start", "masked", "census_start"} <= as_at_macros()
    assert not {"clean_text", "clean_date", "map_code", "age_at", "wd"} & as_at_macros()
    dependent = as_at_dependent()
    # every list, cross rule and indicator reads the as-at date; no staging model or check frame
    for layer in ("annex_a", "cross", "indicators"):
        assert {q.name for q in queries(layer)} <= dependent, layer
    for layer in ("staging", "checks"):
        assert not {q.name for q in queries(layer)} & dependent, layer
    # through a model that does: int_person__child_columns reads as_at() (ages)
    assert "int_person__child_columns" in dependent
    assert "int_workers__names" not in dependent


def _alone(params: dict, snap: str, as_at: str) -> str:
    """One month end as the annex_a DAG builds it: build, validate, publish, nothing shared."""
    cfg = resolve_run(params | {"as_at": as_at}, run_id="alone")
    built = build_step(cfg, snap)
    try:
        checked = validate_step(cfg, built)
    except ValidationFailed:
        return "blocked"
    publish_step(cfg, built, checked, snapshot_extract(snap))
    return "published"


def _summary(path) -> dict:
    doc = json.loads(path.read_text())
    doc.pop("run")
    return doc


@pytest.fixture(scope="module")
def snapshot(small_cms, tmp_path_factory) -> str:
    url, _ = small_cms
    return str(extract(url, tmp_path_factory.mktemp("backfill") / "snapshot"))


def test_month_in_a_backfill_equals_the_month_built_alone(snapshot, tmp_path, monkeypatch):
    monkeypatch.setenv("ANNEXA_HOME", str(tmp_path / "home"))
    base = {"la_code": "999", "la_name": "Synthshire"}
    alone = _alone(base | {"out_dir": str(tmp_path / "alone")}, snapshot, MONTH)
    got = backfill_months(base | {"out_dir": str(tmp_path / "shared")}, snapshot, [LATER, MONTH])
    assert got[MONTH] == alone and set(got) == {LATER, MONTH}

    runs = tmp_path / "home" / "runs" / "999"
    a, b = runs / MONTH / "alone", runs / MONTH / f"backfill__{MONTH}"
    lists = sorted(p.name for p in (a / "lists").glob("*.parquet"))
    assert len(lists) == 11 and lists == sorted(p.name for p in (b / "lists").glob("*.parquet"))
    for name in lists:
        assert pq.read_table(a / "lists" / name).equals(pq.read_table(b / "lists" / name)), name
    # the shared check frames (written once, in the first month's folder) are the month's own
    shared = runs / LATER / f"backfill__{LATER}" / "checks"
    frames = sorted(p.name for p in (a / "checks").glob("*.parquet"))
    assert frames and not (b / "checks").exists()
    for name in frames:
        assert pq.read_table(a / "checks" / name).equals(pq.read_table(shared / name)), name
    assert _summary(a / "validation.json") == _summary(b / "validation.json")
    assert (a / "worklist.csv").read_bytes() == (b / "worklist.csv").read_bytes()
    assert (
        json.loads((a / "build.json").read_text())["unmapped"]
        == json.loads((b / "build.json").read_text())["unmapped"]
    )
    if alone == "published":  # the published CSVs and the pack's numbers, byte for byte
        pa_, pb = tmp_path / "alone" / "999" / MONTH, tmp_path / "shared" / "999" / MONTH
        names = sorted(p.name for p in pa_.iterdir() if p.suffix in (".csv", ".json"))
        assert len([n for n in names if n.endswith(".csv")]) == 11
        for name in names:
            if name != "manifest.json":
                assert (pa_ / name).read_bytes() == (pb / name).read_bytes(), name
        ma, mb = (json.loads((p / "manifest.json").read_text()) for p in (pa_, pb))
        assert ma["row_counts"] == mb["row_counts"]
        assert ma["validation"]["failing_rules"] == mb["validation"]["failing_rules"]


def test_backfill_runs_share_one_snapshot_per_day(tmp_path, monkeypatch):
    """`airflow backfill create`'s runs (extract_step with share): the first extracts, the
    others reuse the day's snapshot of the same source once it verifies; a snapshot changed
    since is extracted again; a run that is no backfill always extracts its own."""
    monkeypatch.setenv("ANNEXA_HOME", str(tmp_path / "home"))
    url = make_cms(tmp_path / "cms", {"ssd_person": [person("P1")]})
    cfgs = [
        resolve_run({"as_at": d, "la_code": "999"}, run_id=f"backfill__{d}")
        for d in ("2026-01-31", "2026-02-28", "2026-03-31")
    ]
    first = extract_step(cfgs[0], url, share=True)
    again = extract_step(cfgs[1], url, share=True)
    assert (first["shared"], again["shared"]) == (False, True)
    assert (
        first["snapshot"]
        == again["snapshot"]
        == str(shared_snapshot_dir(cfgs[0], url, today_london()))
    )
    assert Path(first["snapshot"]).parent.parent.name == "backfill"
    part = next(Path(first["snapshot"]).glob("ssd_person/part-*.parquet"))
    part.write_bytes(part.read_bytes() + b"x")  # changed after extraction: not reused
    third = extract_step(cfgs[2], url, share=True)
    assert third["shared"] is False and third["snapshot"] == first["snapshot"]
    verify_snapshot(Path(third["snapshot"]))
    own = extract_step(cfgs[2], url)
    assert "shared" not in own and own["snapshot"] != first["snapshot"]
    other = make_cms(tmp_path / "other", {"ssd_person": [person("P2")]})  # another source
    assert shared_snapshot_dir(cfgs[0], other, today_london()) != Path(first["snapshot"])


def test_is_backfill() -> None:
    from airflow.sdk.api.datamodels._generated import DagRunType

    assert is_backfill(SimpleNamespace(run_type=DagRunType.BACKFILL))
    assert is_backfill(SimpleNamespace(run_type="backfill"))
    assert not is_backfill(SimpleNamespace(run_type=DagRunType.SCHEDULED))
    assert not is_backfill(SimpleNamespace(run_type=DagRunType.MANUAL))
