"""The gate's suites shared between two processes (issue 10): ``forked.fork_map`` returns every
job's result in the jobs' order whichever process ran it, re-runs here what the forked copy did
not deliver, and the gate's outputs are the same with one process and with two."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from functools import partial
from pathlib import Path

import pytest

from annexa.validate.forked import fork_map, processes_from_env

pytestmark = pytest.mark.unit

PARENT = os.getpid()


def _busy(i: int) -> tuple[int, int]:
    t = time.process_time()
    while time.process_time() - t < 0.05:  # long enough for the copy to take some jobs
        pass
    return i, os.getpid()


def test_results_come_back_in_the_jobs_order_from_both_processes():
    jobs = [(float(i % 3), partial(_busy, i)) for i in range(12)]
    got = fork_map(jobs, 2)
    assert [i for i, _ in got] == list(range(12))
    pids = {pid for _, pid in got}
    assert PARENT in pids
    assert len(pids) == 2  # the copy ran some of them
    assert fork_map(jobs, 1) == [(i, PARENT) for i in range(12)]  # one process: all here


def _fails_in_the_copy(i: int) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("only in the copy")
    return i


def _kills_the_copy(i: int) -> int:
    if os.getpid() != PARENT:
        os._exit(3)
    return _busy(i)[0]


@pytest.mark.parametrize("job", [_fails_in_the_copy, _kills_the_copy])
def test_what_the_copy_does_not_deliver_is_run_here(job):
    assert fork_map([(1.0, partial(job, i)) for i in range(6)], 2) == list(range(6))


def _fails(i: int) -> int:
    if i == 3:
        raise ValueError("job 3 is broken")
    return _busy(i)[0]


def test_a_failing_job_raises_as_in_one_process():
    with pytest.raises(ValueError, match="job 3 is broken"):
        fork_map([(1.0, partial(_fails, i)) for i in range(6)], 2)


def test_the_number_of_processes_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("ANNEXA_GATE_PROCESSES", "2")
    assert processes_from_env() == (2 if sys.platform.startswith("linux") else 1)
    monkeypatch.setenv("ANNEXA_GATE_PROCESSES", "1")
    assert processes_from_env() == 1
    monkeypatch.delenv("ANNEXA_GATE_PROCESSES")
    assert processes_from_env() == 1  # one process unless asked
    monkeypatch.setenv("ANNEXA_GATE_PROCESSES", "two")
    with pytest.raises(ValueError, match="ANNEXA_GATE_PROCESSES must be 1 or 2, not 'two'"):
        processes_from_env()


def test_the_gate_gives_the_same_outputs_with_one_and_two_processes(tmp_path, monkeypatch):
    """The fault-injected small CMS (errors and warnings in list, source and cross rules):
    validation.json, worklist.csv and report.html byte for byte."""
    from annexa.pipeline import (
        ValidationFailed,
        build_step,
        extract_step,
        resolve_run,
        validate_step,
    )
    from annexa.source.faults import inject
    from annexa.source.synthetic import generate

    as_at = dt.date(2026, 3, 31)
    url = f"sqlite:///{tmp_path / 'cms.db'}"
    generate(url, scale="small", seed=1, as_at=as_at)
    inject(url, as_at, seed=1)
    monkeypatch.setenv("ANNEXA_HOME", str(tmp_path / "home"))
    cfg = resolve_run({"as_at": as_at.isoformat()}, run_id="processes")
    built = build_step(cfg, extract_step(cfg, url)["snapshot"])
    outputs = []
    for processes in ("1", "2"):
        monkeypatch.setenv("ANNEXA_GATE_PROCESSES", processes)
        with pytest.raises(ValidationFailed) as failed:
            validate_step(cfg, built)
        folder = Path(failed.value.summary_path).parent
        outputs.append(
            {
                f: (folder / f).read_bytes()
                for f in ("validation.json", "worklist.csv", "report.html")
            }
        )
    assert outputs[0] == outputs[1]
    assert b"ssd_contacts:key_unique:cont_contact_id" in outputs[0]["validation.json"]
    assert b"list_8:required:date_of_birth" in outputs[0]["worklist.csv"]
