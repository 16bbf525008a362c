"""Crash safety (issue 14.3), a bounded sample of the campaign ``bench/bench_crash.py`` runs in
full: 40 SIGKILLs of real extract, build and publish processes at random moments, each followed
by the checks of ``annexa.crashtest`` (``latest`` and every date resolve to a complete release
whose checksums verify, no partial snapshot is visible, the next run succeeds); a publish into a
full disk fails clearly and leaves the old return; two publishers for one LA never interleave."""

from pathlib import Path

import pytest

from annexa.crashtest import LA, campaign, concurrent, disk_full, prepare, published_problems

KILLS = {"extract": 2, "build": 2, "publish": 36}


@pytest.fixture(scope="module")
def prepared(small_cms, tmp_path_factory):
    url, as_at = small_cms
    return prepare(tmp_path_factory.mktemp("crash"), cms=Path(url.removeprefix("sqlite:///")))


def test_forty_random_kills_never_leave_a_partial_or_unverified_return(prepared):
    fig = campaign(prepared, KILLS, seed=14).to_dict()
    assert fig["iterations"] == KILLS
    assert fig["problems"] == []
    assert fig["partial_or_unverified_after_kill"] == 0 and fig["recovery_failures"] == 0
    # the sample really kills work in progress, not idle processes
    assert sum(fig["killed_while_running"].values()) >= 20
    assert published_problems(prepared.folder / "out") == []


def test_a_full_disk_fails_clearly_and_keeps_the_old_return(prepared):
    r = disk_full(prepared)
    assert r["error_type"] == "PublishError", r
    assert "no space left" in r["error"].lower() and LA in r["error"]
    assert "previous one is still published" in r["error"]
    assert r["old_return_intact"] is True and r["problems"] == []
    assert len(r["releases_left"]) == 1  # the partial release was removed


def test_two_publishers_for_one_la_never_interleave(prepared):
    r = concurrent(prepared, runs=2, hold=0.5)
    assert r["exit_codes"] == [0, 0] and r["problems"] == []
    a, b = sorted((s["start"], s["end"]) for s in r["spans"])
    assert b[0] >= a[1]  # the second wrote only after the first had finished
