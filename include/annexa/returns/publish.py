"""Publish the statutory returns beside Annex A, atomically, only when DfE's rules found no errors.

Layout (``annexa.publish.publisher``, one lock per collection year)::

    <out>/<la>/returns/<year>/<reference-date>  -> .releases/...   (symlink swapped atomically)
    <out>/<la>/returns/<year>/latest            -> <reference-date>

with ``cin_census.xml``, ``ssda903/*.csv``, the DfE findings (``validation.json``,
``report.html``, ``worklist.csv``) and ``manifest.json`` (checksums, counts, rules run).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from annexa.core.files import private_dir, sha256_file, write_json
from annexa.publish.publisher import PublishError, publish


class ReturnsBlocked(RuntimeError):
    """DfE's rules found errors: the statutory returns are not published."""


def publish_returns(
    out_dir: Path,
    la_code: str,
    built: dict,
    checked: dict,
    *,
    run_key: str,
    code_version: str = "",
) -> Path:
    """Copy the built files and the findings into a release and make it live; returns the
    public folder. Refuses while ``checked`` holds errors."""
    if checked.get("errors"):
        raise ReturnsBlocked(
            f"{checked['errors']} DfE rule(s) failed: the statutory returns are not published"
        )
    year = int(built["year"])
    reference_date = dt.date.fromisoformat(built["reference_date"])
    if not la_code or "/" in la_code or la_code.startswith("."):
        raise PublishError(f"bad LA code {la_code!r}")
    for folder in (Path(out_dir), Path(out_dir) / la_code):  # as Annex A leaves them: 0700
        private_dir(folder)
    root = private_dir(Path(out_dir) / la_code / "returns")

    def write(folder: Path) -> None:
        files = [Path(built["cin_xml"]), *map(Path, built["ssda903"].values())]
        private_dir(folder / "ssda903")
        out = []
        for src in files:
            dest = folder / ("ssda903" if src.parent.name == "ssda903" else "") / src.name
            shutil.copyfile(src, dest)
            out.append(dest)
        for name in ("validation.json", "report.html", "worklist.csv"):
            src = Path(checked["folder"]) / name
            shutil.copyfile(src, folder / name)
            out.append(folder / name)
        write_json(
            folder / "manifest.json",
            {
                "kind": "annexa-statutory-returns",
                "la_code": la_code,
                "collection_year": year,
                "reference_date": reference_date.isoformat(),
                # a preview of a year still running (the snapshot taken before the reference
                # date), not yet the return to submit
                "in_year": bool(built.get("in_year")),
                "data_as_of": built.get("data_as_of"),
                "run": run_key,
                "generated_at": dt.datetime.now(dt.UTC).isoformat(),
                "code_version": code_version,
                "rows": built.get("rows"),
                "validators": checked.get("validators"),
                "warnings": checked.get("warnings"),
                "files": {
                    str(p.relative_to(folder)): {
                        "sha256": sha256_file(p),
                        "bytes": p.stat().st_size,
                    }
                    for p in out
                },
            },
        )

    return publish(root, str(year), reference_date, run_key, write)
