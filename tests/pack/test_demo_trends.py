"""The demo's trend history (issue 12.5): month ends published from one snapshot through the
same build, gate and publish steps, in two processes; a second call skips what is published."""

from __future__ import annotations

import datetime as dt
import json
import stat

import pytest
from golden.cms import make_cms

from annexa.pipeline import backfill_from_snapshot
from annexa.source.extract import extract
from pack.test_breakdowns import ROWS

pytestmark = pytest.mark.golden

DATES = [dt.date(2026, 5, 31), dt.date(2026, 6, 30)]


def test_backfill_from_one_snapshot(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNEXA_HOME", str(tmp_path / "home"))
    snap = extract(make_cms(tmp_path / "cms", ROWS), tmp_path / "snapshot")
    out = tmp_path / "out"
    params = {"la_code": "999", "la_name": "Synthshire", "out_dir": str(out)}
    got = backfill_from_snapshot(params, str(snap), DATES, workers=2)
    assert got == {d.isoformat(): "published" for d in DATES}
    for d in DATES:
        release = out / "999" / d.isoformat()
        manifest = json.loads((release / "manifest.json").read_text())
        assert manifest["as_at"] == d.isoformat() and manifest["pack_error"] is None
        assert manifest["validation"]["errors"] == 0
        assert stat.S_IMODE((release / "indicators.json").stat().st_mode) == 0o600
        # List 4 at both month ends: AS1, AS2 authorised in W6; AS3 open; AS4 (from 01/05)
        # open at 31/05, authorised on 30/06
        assert manifest["row_counts"]["4"] == 4
    assert (out / "999" / "latest").resolve().name.startswith("2026-06-30")
    assert backfill_from_snapshot(params, str(snap), DATES) == {
        d.isoformat(): "skipped" for d in DATES
    }
