"""Benchmark: the offline explorer and the pack's list views on a published return (issue 12.4).

Given a published return folder (``<out>/<la>/<as-at>``, e.g. from ``bench_build.py --keep`` or
``annexa run`` at ``large``), writes ``explorer.html`` into a private temporary folder and prints
its size and the time to write it, the time to compute the ChAT-style list views, then opens it
in headless Chromium (``/usr/bin/chromium``) for each view below and prints what the page
itself measured: ``ready`` (ms from navigation start until the script has parsed the data and
shown the view), ``view`` (ms to apply the view's filter, including decoding the list it shows),
``drawn`` (ms from navigation start to the first frame after ready: the view on screen; -1 when
the DOM was dumped before it), and where the time before ready went (when the script started:
the file read and parsed up to it; JSON.parse). Figures only: never a pass/fail; the machine's
load average is printed, since other work on it moves every figure.

    .venv/bin/python bench/bench_explorer.py /path/to/published/999/2026-03-31
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
VIEWS = {
    "open (List 1, all rows)": "",
    "latest 10 police contacts": "#list=1&source="
    + urllib.parse.quote("q) 6: Police")
    + "&latest=10",
    "List 6 (children in need, all rows)": "#list=6",
    "a child's journey": "#journey=__FIRST__",
}


def _median(got: list[tuple], i: int) -> float:
    return sorted(g[i] for g in got)[len(got) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("release", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from annexa.core.files import owner_only
    from annexa.pack.breakdowns import breakdowns
    from annexa.pack.diff import published_csvs
    from annexa.pack.explorer import write_explorer

    owner_only()
    release = args.release.resolve()
    as_at = release.name[:10]
    work = Path(tempfile.mkdtemp(prefix="bench-explorer-"))
    t = time.perf_counter()
    path = write_explorer(work / "explorer.html", release, "999", "bench", as_at)
    print(
        f"explorer.html: {path.stat().st_size / 1e6:.1f} MB, written in "
        f"{time.perf_counter() - t:.1f} s"
    )
    t = time.perf_counter()
    views = breakdowns(published_csvs(release), dt.date.fromisoformat(as_at))
    print(
        f"list views: {len(views['lists'])} lists, {len(views['caseloads'])} workers, "
        f"{time.perf_counter() - t:.1f} s"
    )
    first = ""
    csv1 = published_csvs(release).get(1)
    if csv1:
        with open(csv1, encoding="utf-8") as f:
            next(f)
            first = next(f).split(",")[0]
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name, frag in VIEWS.items():
        frag = frag.replace("__FIRST__", urllib.parse.quote(first))
        got = []
        for i in range(args.runs):
            t = time.perf_counter()
            run = subprocess.run(
                [
                    CHROMIUM,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    f"--user-data-dir={work / f'profile-{i}'}",
                    "--dump-dom",
                    path.as_uri() + frag,
                ],
                capture_output=True,
                text=True,
                timeout=300,
            )
            wall = time.perf_counter() - t
            body = re.search(r"<body([^>]*)>", run.stdout)
            data = dict(re.findall(r'data-([a-z]+)="([^"]*)"', body.group(1) if body else ""))
            got.append(
                tuple(int(data.get(k, -1)) for k in ("ready", "view", "drawn", "script", "parse"))
                + (wall,)
            )

        m = [_median(got, i) for i in range(6)]
        print(
            f"{name}: ready {m[0]} ms, view {m[1]} ms, drawn {m[2]} ms (script started "
            f"{m[3]} ms, JSON.parse {m[4]} ms; median of {args.runs}; chromium process incl. "
            f"start-up and DOM dump {m[5]:.1f} s)"
        )


if __name__ == "__main__":
    main()
