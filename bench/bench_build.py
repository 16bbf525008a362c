"""Benchmark: build all eleven lists and write the workbook and CSVs, per scale (issue 3.6).

Each scale's synthetic CMS (seed 1, as at 2026-03-31) is generated and extracted once; then a fresh
child process builds the lists from the snapshot (DuckDB), writes the workbook and the CSVs, and
reports wall time per phase and its peak memory (RSS); one-off library imports are timed apart
from the build. The validation gate (Great Expectations list and source suites, cross-list
rules) is timed separately, for information. Figures only: never a pass/fail test. Target at
`large`: build + workbook under 10 s and 1.5 GB on a 2-core machine.

    .venv/bin/python bench/bench_build.py [--scales small,large] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

AS_AT = "2026-03-31"

PREPARE = r"""
import sys, datetime as dt
from pathlib import Path
from annexa.source.synthetic import generate
from annexa.source.extract import extract
url, scale, dest = sys.argv[1:4]
generate(url, scale=scale, seed=1, as_at=dt.date.fromisoformat(sys.argv[4]))
print(extract(url, Path(dest)))
"""

BUILD = r"""
import json, resource, sys, time, datetime as dt
from pathlib import Path
snap, work, as_at, validate = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
t = {}
t0 = time.time()
# one-off imports (an Airflow worker has pandas and pyarrow loaded already) are timed apart
import duckdb, pandas, pyarrow
from annexa.core.dates import Windows
from annexa.publish.workbook import ReturnFacts, write_csvs, write_workbook
from annexa.transform.runner import build
w = Windows.for_date(dt.date.fromisoformat(as_at))
t["import"] = time.time() - t0
t1 = time.time()
result = build(Path(snap), work / "build", w, la_code="999", la_name="Synthshire")
t["build"] = time.time() - t1
t2 = time.time()
facts = ReturnFacts("999", "Synthshire", w.as_at, w.w6_start, w.w12_start, "later",
                    dt.datetime.now(dt.UTC))
out = work / "out"
out.mkdir()
write_workbook(out / "annex_a.xlsx", result.lists, facts)
t["workbook"] = time.time() - t2
t3 = time.time()
write_csvs(out, result.lists, facts)
t["csv"] = time.time() - t3
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if validate:
    from annexa.validate.gate import GateInputs, run_gate
    t4 = time.time()
    summary, _ = run_gate(GateInputs(
        lists=result.lists, checks={k: Path(v) for k, v in result.checks.items()}, windows=w,
        version="later", extracted_on=dt.date.today(), placeholders=["ssd_ph", "-1"],
        placeholder_before=dt.date(1901, 1, 1), unmapped=[u.to_dict() for u in result.unmapped],
        waivers=[], today=dt.date.today(),
        cross={k: Path(v) for k, v in result.cross.items()}))
    t["validate"] = time.time() - t4
    t["validation_errors"] = summary["errors"]
t["checks"] = result.seconds.get("check_frames", 0) + result.seconds.get("unmapped_check", 0)
t["pack"] = result.seconds.get("pack_inputs", 0)
print(json.dumps({"seconds": t, "rows": sum(result.row_counts.values()),
                  "per_list": result.row_counts, "peak_mb_build_workbook": peak,
                  "xlsx_mb": (out / "annex_a.xlsx").stat().st_size / 1e6,
                  "slowest_models": sorted(((v, k) for k, v in result.seconds.items()
                                            if k != "total"), reverse=True)[:5]}))
"""


def run(script: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"benchmark step failed:\n{out.stderr[-3000:]}")
    return out.stdout.strip().splitlines()[-1]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="small,medium,large")
    p.add_argument("--keep", default=None, help="reuse/keep CMS and snapshots in this folder")
    p.add_argument("--no-validate", action="store_true", help="skip the validation timing")
    args = p.parse_args()
    tmp_ctx = tempfile.TemporaryDirectory(prefix="annexa-bench-")
    root = Path(args.keep) if args.keep else Path(tmp_ctx.name)
    root.mkdir(parents=True, exist_ok=True)
    print(
        "lists s = SQL models and Parquet export; checks s = source check frames and the\n"
        "unmapped-value scan, done in the same DuckDB pass for the validation gate;\n"
        "pack s = indicators and lines of enquiry for the intelligence pack (same pass);\n"
        "lists+xlsx = the issue-3 target (< 10 s at large); gate s = Great Expectations etc."
    )
    print(
        f"{'scale':7} {'list rows':>10} {'lists s':>8} {'checks s':>9} {'pack s':>7} "
        f"{'xlsx s':>7} "
        f"{'csv s':>6} {'lists+xlsx':>11} {'peak MB':>8} {'xlsx MB':>8} {'gate s':>7}"
    )
    for scale in args.scales.split(","):
        snaps = sorted((root / scale).glob("snapshot*/manifest.json"))
        if snaps:
            snap = str(snaps[-1].parent)
        else:
            (root / scale).mkdir(exist_ok=True)
            snap = run(
                PREPARE,
                f"sqlite:///{root / scale / 'cms.db'}",
                scale,
                str(root / scale / "snapshot"),
                AS_AT,
            )
        work = Path(tempfile.mkdtemp(prefix=f"build-{scale}-", dir=root))
        r = json.loads(run(BUILD, snap, str(work), AS_AT, "0" if args.no_validate else "1"))
        s = r["seconds"]
        lists = s["build"] - s["checks"] - s["pack"]
        print(
            f"{scale:7} {r['rows']:>10,} {lists:>8.1f} {s['checks']:>9.1f} {s['pack']:>7.1f} "
            f"{s['workbook']:>7.1f} {s['csv']:>6.1f} {lists + s['workbook']:>11.1f} "
            f"{r['peak_mb_build_workbook']:>8.0f} {r['xlsx_mb']:>8.1f} "
            f"{s.get('validate', float('nan')):>7.1f}",
            flush=True,
        )
        print(
            f"        rows per list: {r['per_list']}; slowest models: "
            + ", ".join(f"{k} {v:.2f}s" for v, k in r["slowest_models"]),
            flush=True,
        )
    tmp_ctx.cleanup()


if __name__ == "__main__":
    main()
