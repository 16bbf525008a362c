"""Benchmark: synthetic CMS generation and snapshot extraction, per scale.

Prints a table of wall time, rows and peak memory (RSS of a fresh child process per step, so the
numbers are not polluted by earlier steps). Figures only: never a pass/fail test.

    .venv/bin/python bench/bench_source.py [--scales small,medium,large] [--postgres]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

STEP = r"""
import json, resource, sys, time, datetime as dt
from pathlib import Path
kind, url, scale, dest = sys.argv[1:5]
t0 = time.time()
if kind == "generate":
    from annexa.source.synthetic import generate
    rows = sum(generate(url, scale=scale, seed=1, as_at=dt.date(2026, 3, 31)).values())
else:
    from annexa.source.extract import extract, read_manifest
    snap = extract(url, Path(dest))
    rows = sum(t["rows"] for t in read_manifest(snap)["tables"].values())
print(json.dumps({"seconds": time.time() - t0, "rows": rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def step(kind: str, url: str, scale: str, dest: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", STEP, kind, url, scale, dest],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="small,medium,large")
    p.add_argument(
        "--postgres",
        default=None,
        help="also run against this PostgreSQL URL (tables are replaced)",
    )
    args = p.parse_args()
    print(f"{'scale':8} {'target':10} {'step':9} {'rows':>11} {'seconds':>9} {'peak MB':>9}")
    with tempfile.TemporaryDirectory(prefix="annexa-bench-") as tmp:
        for scale in args.scales.split(","):
            targets = [("sqlite", f"sqlite:///{tmp}/{scale}.db")]
            if args.postgres:
                targets.append(("postgres", args.postgres))
            for name, url in targets:
                for kind in ("generate", "extract"):
                    r = step(kind, url, scale, f"{tmp}/snap_{scale}_{name}")
                    print(
                        f"{scale:8} {name:10} {kind:9} {r['rows']:>11,} {r['seconds']:>9.1f} "
                        f"{r['peak_mb']:>9.0f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
