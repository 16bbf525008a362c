"""Independent jobs shared between this process and one forked copy of it (issue 10).

The gate runs ~40 suites through Great Expectations, one frame each, and nothing of one
suite's run depends on another's: on a 2-core machine two processes take about half the wall
time. The copy is forked, not spawned: it starts with GX imported and the gate's GX context
built (a spawned interpreter would import GX again, several CPU seconds). Both processes take
the next job from one pipe of job numbers (largest first), so neither waits while the other has
work left; the copy sends back what it computed, pickled, and the results are returned in the
jobs' order, so nothing downstream depends on which process ran what.

What keeps the fork safe in a process that may hold other things (an Airflow task: database
connections, log handlers, signal handlers): the copy never runs the parent's garbage collection
on inherited objects (``gc.freeze`` before the fork), never logs through the parent's handlers
(logging is disabled in the copy), restores the default SIGTERM and SIGINT handlers, and leaves
with ``os._exit`` (no atexit handlers, no buffered output flushed twice, no inherited connection
closed). A job the copy did not deliver (it failed, crashed or took far longer than this
process's share) is run here, so the outcome, and any exception, is the one a single process
would give.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import select
import signal
import struct
import sys
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

_TOKEN = struct.Struct("<I")
# the copy's results are waited for at least this long, and at least 4x this process's share
MIN_WAIT_SECONDS = 300.0


def processes_from_env() -> int:
    """``ANNEXA_GATE_PROCESSES``: 2 shares the gate's suites with a forked copy (on Linux: a
    bare fork is not safe for every library elsewhere, e.g. macOS's Objective-C runtime, which
    Airflow forks and execs for; Windows has no fork); unset or 1, one process. Not the default:
    the copy's RSS counts the pages it shares with the parent, which puts the end-to-end
    bench's summed peak over 1.5 GB at the largest county (docs/performance.md)."""
    raw = os.environ.get("ANNEXA_GATE_PROCESSES") or "1"
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"ANNEXA_GATE_PROCESSES must be 1 or 2, not {raw!r}") from None
    return max(1, value) if sys.platform.startswith("linux") and hasattr(os, "fork") else 1


def fork_map(jobs: Sequence[tuple[float, Callable[[], T]]], processes: int) -> list[T]:
    """Each job's result, in the jobs' order. A job is ``(cost, fn)``: the cost orders the work
    (largest first); ``fn`` takes no argument. With ``processes`` under 2 (or one job) the jobs
    run here in their order."""
    if processes < 2 or len(jobs) < 2 or not hasattr(os, "fork"):
        return [fn() for _, fn in jobs]
    order = sorted(range(len(jobs)), key=lambda i: -jobs[i][0])
    tokens_r, tokens_w = os.pipe()
    os.write(tokens_w, b"".join(_TOKEN.pack(i) for i in order))  # 4 bytes a job: never full
    os.close(tokens_w)
    results_r, results_w = os.pipe()
    gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:
        _child(jobs, tokens_r, results_w)  # never returns
    gc.unfreeze()
    os.close(results_w)
    done: dict[int, T] = {}
    ended = False  # the copy closed its end of the results pipe: it is leaving
    try:
        started = time.monotonic()
        while (i := _next(tokens_r)) is not None:
            done[i] = jobs[i][1]()
        if pid > 0:
            wait = max(MIN_WAIT_SECONDS, 4 * (time.monotonic() - started))
            theirs, ended = _receive(results_r, wait)
            done |= theirs
    finally:
        os.close(tokens_r)
        os.close(results_r)
        if pid > 0:
            _reap(pid, ended)
    for i in range(len(jobs)):  # what the copy did not deliver
        if i not in done:
            done[i] = jobs[i][1]()
    return [done[i] for i in range(len(jobs))]


def _next(fd: int) -> int | None:
    """The next job number from the pipe (a pipe read of 4 bytes is atomic), None when none."""
    data = os.read(fd, _TOKEN.size)
    return _TOKEN.unpack(data)[0] if len(data) == _TOKEN.size else None


def _child(jobs: Sequence[tuple[float, Callable[[], object]]], tokens: int, out: int) -> None:
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        logging.disable(logging.CRITICAL)
        done = []
        while (i := _next(tokens)) is not None:
            try:
                done.append((i, jobs[i][1]()))
            except Exception:  # noqa: BLE001, S110 - the parent runs it again and raises
                pass
        data = memoryview(pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(out, data) :]
        code = 0
    finally:
        os._exit(code)


def _receive(fd: int, wait: float) -> tuple[dict, bool]:
    """The copy's results, read to the end of the pipe within ``wait`` seconds (none if it
    took longer or died mid-write), and whether the end was reached."""
    deadline = time.monotonic() + wait
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return {}, False
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    try:
        return dict(pickle.loads(b"".join(chunks))), True  # noqa: S301 - our own fork's output
    except Exception:  # noqa: BLE001 - a copy that died mid-write delivered nothing
        return {}, True


def _reap(pid: int, ended: bool) -> None:
    """Wait for the copy, killing it first unless it has closed its end of the pipe (it was
    too slow, or this process is leaving on an exception)."""
    if not ended:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    os.waitpid(pid, 0)
