"""Benchmark: a 36-month backfill from one extract, as users run it (issue 10.3).

``annexa backfill --from 2023-04-01 --to 2026-03-31`` in a child process on a synthetic CMS
(seed 1, as at 2026-03-31; generated once, or given with ``--cms``): the newest month end is an
``annex_a`` run through Airflow (``dag.test()``, metadata DB created beforehand), which
extracts the CMS; the other 35 are built, validated and published from that run's snapshot in
``--workers`` processes, sharing the work that does not depend on the as-at date
(``annexa.pipeline.backfill``). Measured: wall and CPU seconds of the whole command, the peak
RSS of its process tree (polled every 50 ms), each month's outcome, and the load average
before and after (on a shared machine wall times inflate, CPU times much less).

With ``--alone N`` it also times N month ends built alone, each an ``annexa run`` that
extracts again (what ``annexa backfill`` did before), for the comparison. Figures only: never
pass/fail.

    .venv/bin/python bench/bench_backfill.py [--scale large] [--cms /work/perf_large.db]
        [--from 2023-04-01] [--to 2026-03-31] [--workers 2] [--alone 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_e2e as e2e  # noqa: E402 - the same child-process timing and CMS preparation

OUTCOME = re.compile(r"^\s+(\d{4}-\d\d-\d\d): (published|blocked|skipped)$", re.MULTILINE)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", default="large")
    p.add_argument("--cms", default=None, help="path or URL of a CMS to use instead")
    p.add_argument("--from", dest="first", default="2023-04-01")
    p.add_argument("--to", dest="last", default=e2e.AS_AT)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--alone", type=int, default=0, help="also time N month ends built alone")
    p.add_argument("--keep", default=None, help="keep (and reuse) the generated CMS here")
    p.add_argument("--json", default=None, help="also write the figures to this file")
    args = p.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="annexa-backfill-")
    root = Path(args.keep) if args.keep else Path(tmp.name)
    root.mkdir(parents=True, exist_ok=True)
    if args.cms:
        url = e2e._url_of(args.cms)
    else:
        db = root / f"cms_{args.scale}.db"
        if not db.exists():
            e2e._generate(args.scale, db, False)
        url = f"sqlite:///{db}"
    home = Path(tempfile.mkdtemp(prefix="home-backfill-", dir=root))
    e2e.prepare_home(home)
    load0 = os.getloadavg()
    cmd = [e2e.ANNEXA, "backfill", "--source", url, "--from", args.first, "--to", args.last]
    cmd += ["--out", str(home / "published"), "--la-code", "999", "--workers", str(args.workers)]
    r = e2e.timed(cmd, e2e.home_env(home), home / "backfill.log")
    r.pop("samples")
    load1 = os.getloadavg()
    text = (home / "backfill.log").read_text()
    outcomes = dict(OUTCOME.findall(text))
    newest = args.last if (home / "published" / "999" / args.last).exists() else None
    published = sum(1 for o in outcomes.values() if o == "published") + (1 if newest else 0)
    months = len(outcomes) + 1
    print(f"backfill {args.first} .. {args.last} at {args.cms or args.scale}: {months} month ends")
    print(
        f"  wall {r['wall_s']:.1f} s, CPU {r['cpu_s']:.1f} s, peak RSS {r['peak_mb']:.0f} MB, "
        f"{published} published, {months - published} blocked; exit {r['rc']}; "
        f"load {load0[0]:.1f} -> {load1[0]:.1f} (5 min {load0[1]:.1f} -> {load1[1]:.1f})"
    )
    print(
        f"  per month end: wall {r['wall_s'] / months:.1f} s, CPU {r['cpu_s'] / months:.1f} s",
        flush=True,
    )
    figures: dict = {"backfill": r | {"months": months, "published": published}}
    figures["load"] = [load0, load1]
    if args.alone:
        runs = []
        for i in range(args.alone):
            h = Path(tempfile.mkdtemp(prefix="home-alone-", dir=root))
            e2e.prepare_home(h)
            one = e2e.run_once(url, h, h / "run.log", as_at=args.last)
            runs.append(one)
            print(
                f"  alone #{i + 1}: wall {one['wall_s']:.1f} s, CPU {one['cpu_s']:.1f} s, "
                f"peak {one['peak_mb']:.0f} MB; x{months}: wall {one['wall_s'] * months:.0f} s, "
                f"CPU {one['cpu_s'] * months:.0f} s",
                flush=True,
            )
            if not args.keep:
                shutil.rmtree(h, ignore_errors=True)
        figures["alone"] = runs
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str))
    if not args.keep:
        shutil.rmtree(home, ignore_errors=True)
    tmp.cleanup()


if __name__ == "__main__":
    sys.path.insert(0, str(e2e.ROOT / "include"))
    main()
