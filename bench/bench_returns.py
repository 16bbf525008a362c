"""Benchmark: the statutory returns (issue 11) at one scale: build the CIN census XML and the 903
CSVs from a snapshot, then run DfE's validators on them (each in its own process). Figures only:
never a pass/fail test. The CIN validator's XML reader concatenates one DataFrame per child onto
each table (quadratic on a whole census); the runner reads 250 children at a time, so it is
linear, but its cost per child still makes it the largest step at ``large``
(docs/statutory_returns.md, "Time").

    .venv/bin/python bench/bench_returns.py [--scale large] [--url sqlite:////path/cms.db]
        [--keep DIR] [--validators 903,cin]

Without ``--url`` the synthetic CMS (seed 1, as at 2026-03-31) is generated first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

AS_AT = dt.date(2026, 3, 31)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", default="large")
    p.add_argument("--url", default=None, help="an existing CMS (generated as at 2026-03-31)")
    p.add_argument("--keep", default=None)
    p.add_argument(
        "--validators",
        default="903,cin",
        help="which DfE validators to time (the CIN one is the longest: its reader)",
    )
    args = p.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="annexa-bench-returns-")
    root = Path(args.keep or tmp.name)
    root.mkdir(parents=True, exist_ok=True)

    from annexa.returns.build import build_returns
    from annexa.returns.check import findings
    from annexa.returns.validators import run
    from annexa.source.extract import extract

    url = args.url
    t: dict[str, float] = {}
    if url is None:
        from annexa.source.synthetic import generate

        url = f"sqlite:///{root / 'cms.db'}"
        t0 = time.time()
        generate(url, scale=args.scale, seed=1, as_at=AS_AT)
        t["generate"] = time.time() - t0
    t0 = time.time()
    snap = extract(url, root / "snapshot")
    t["extract"] = time.time() - t0
    t0 = time.time()
    built = build_returns(snap, root / "returns", reference_date=AS_AT, la_code="999")
    t["build"] = time.time() - t0
    out: dict = {"scale": args.scale, "rows": built.rows}
    kinds = [k for k in args.validators.split(",") if k]
    if kinds:
        runs = []
        todo = {"cin": [built.cin_xml], "903": list(built.ssda903.values())}
        for kind, files in ((k, todo[k]) for k in kinds):
            t0 = time.time()
            runs.append(run(kind, files, year=built.year))
            t[f"validate_{kind}"] = time.time() - t0
            out[f"{kind}_engine_seconds"] = runs[-1].seconds
        rules, _ = findings(runs, "999")
        out["rules_run"] = {r.kind: len(r.rules_run) for r in runs}
        out["failing"] = dict(Counter(f"{r.target}:{r.severity}" for r in rules if not r.success))
        out["errors_by_rule"] = {
            r.id: r.unexpected_count for r in rules if r.blocking and r.unexpected_count
        }
    out["seconds"] = {k: round(v, 1) for k, v in t.items()}
    out["xml_mb"] = round(built.cin_xml.stat().st_size / 1e6, 1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
