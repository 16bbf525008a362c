"""Benchmark: crash safety, measured (issue 14.3). SIGKILLs real extract, build and publish
processes at random moments (``annexa.crashtest``) and checks after each kill that ``latest``
and every date resolve to a complete release whose manifest checksums verify, that no partial
snapshot or release is visible, and that the next run succeeds; then publishes into a full disk
and runs two publishers for one LA at once. Figures only: never a pass/fail test.

    .venv/bin/python bench/bench_crash.py [--publish 160] [--extract 20] [--build 20]
        [--cms FILE.db] [--keep DIR]

The CMS is the synthetic `small` one (seed 3) unless ``--cms`` names a SQLite CMS to copy (a
smaller one makes each kill cheaper on a busy machine; the steps and files are the same).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from annexa.crashtest import campaign, concurrent, disk_full, prepare


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--publish", type=int, default=160)
    ap.add_argument("--extract", type=int, default=20)
    ap.add_argument("--build", type=int, default=20)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument(
        "--recover-every", type=int, default=1, help="run the next run after every N-th kill"
    )
    ap.add_argument("--cms", type=Path, help="a SQLite CMS to copy instead of generating one")
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one)")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="annexa_crash_"))
    t0 = time.time()
    try:
        p = prepare(folder, cms=args.cms)
        print(f"prepared in {time.time() - t0:.0f} s: {json.dumps(p.seconds)}", flush=True)
        t1 = time.time()
        fig = campaign(
            p,
            {"extract": args.extract, "build": args.build, "publish": args.publish},
            seed=args.seed,
        )
        figures = fig.to_dict()
        print(f"campaign in {time.time() - t1:.0f} s")
        print(json.dumps(figures, indent=2))
        total = sum(figures["iterations"].values())
        landed = sum(figures["killed_while_running"].values())
        print(
            f"kills: {total} iterations, {landed} landed while the step ran; "
            f"partial or unverified release/snapshot seen after a kill: "
            f"{figures['partial_or_unverified_after_kill']}; next run failed: "
            f"{figures['recovery_failures']}"
        )
        full = disk_full(p)
        print("disk full:", json.dumps(full, indent=2))
        conc = concurrent(p, runs=3)
        spans = sorted((s["start"], s["end"]) for s in conc["spans"])
        overlaps = sum(1 for a, b in zip(spans, spans[1:], strict=False) if b[0] < a[1])
        print(
            f"concurrent: {len(spans)} publishers, {overlaps} interleaved, "
            f"problems {conc['problems']}"
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
