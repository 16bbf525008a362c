"""Benchmark: the offline explorer and the pack's list views on a published return (issue 12.4).

Given a published return folder (``<out>/<la>/<as-at>``, e.g. from ``bench_build.py --keep`` or
``annexa run`` at ``large``), writes ``explorer.html`` into a private temporary folder and prints
its size and the time to write it, the time to compute the ChAT-style list views, then opens it
in headless Chromium (``/usr/bin/chromium``) for each view below and prints what the page
itself measured: ``ready`` (ms from navigation start until the script has parsed the data and
shown the view) and ``view`` (ms to apply the view's filter). Figures only: never a pass/fail.

    .venv/bin/python bench/bench_explorer.py /path/to/published/999/2026-03-31
"""

from __future__ import annotations

import argparse
import datetime as dt
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
            got.append((int(data.get("ready", -1)), int(data.get("view", -1)), wall))
        ready = sorted(g[0] for g in got)[len(got) // 2]
        view = sorted(g[1] for g in got)[len(got) // 2]
        wall = sorted(g[2] for g in got)[len(got) // 2]
        print(
            f"{name}: ready {ready} ms, view {view} ms (median of {args.runs}; chromium "
            f"process incl. start-up and DOM dump {wall:.1f} s)"
        )


if __name__ == "__main__":
    main()
