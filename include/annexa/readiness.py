"""Readiness of each LA's Annex A return, for the data team and on-call (the Airflow UI page of
``plugins/annexa_readiness.py`` and its JSON).

Per LA: the as-at date of the latest good return and its age in days, the last run's outcome
(published / failed validation, with its error count / failed elsewhere, with the step / still
running), the top failing rules, and which of the return's files exist to link to (report,
worklist, workbook, pack). It reads only the published ``manifest.json``, the pack folder's
existence, and each run's ``validation.json`` and ``status.json`` (counts, rule ids, step
states): never a list, a snapshot or a worklist row.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

from annexa.core.constants import today_london
from annexa.core.paths import annexa_home, default_output_dir

TOP_RULES = 5
KINDS = ("report", "worklist", "workbook", "pack")
_LA = re.compile(r"^[0-9A-Za-z_-]{1,16}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _read(path: Path) -> dict | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _registered() -> dict[str, str]:
    """Registered LAs (code -> name) when ANNEXA_LAS is set; a bad registry shows no LAs
    from it here (the DAG run reports it), never an error page."""
    from annexa.las import RegistryError, load_registry, registry_path

    path = registry_path({})
    if path is None:
        return {}
    try:
        return {x.code: x.name for x in load_registry(path, check_files=False)}
    except RegistryError:
        return {}


def _la_codes(out: Path, home: Path) -> list[str]:
    codes = set(_registered())
    for root in (out, home / "runs"):
        if root.is_dir():
            codes |= {p.name for p in root.iterdir() if p.is_dir() and _LA.match(p.name)}
    return sorted(codes)


def _runs(home: Path, la: str) -> list[Path]:
    """This LA's run folders, newest first (by their status or summary file's time)."""
    root = home / "runs" / la
    found: list[tuple[float, Path]] = []
    if not root.is_dir():
        return []
    for day in root.iterdir():
        if not (day.is_dir() and _DAY.match(day.name)):
            continue
        for run in day.iterdir():
            marks = [run / "status.json", run / "validation.json"]
            times = [m.stat().st_mtime for m in marks if m.is_file()]
            if times:
                found.append((max(times), run))
    return [p for _, p in sorted(found, key=lambda x: x[0], reverse=True)]


def _top_rules(summary: dict, limit: int = TOP_RULES) -> list[dict]:
    from annexa.validate.report import top_failing_rules

    return [
        {
            "id": r.get("id"),
            "severity": r.get("severity"),
            "blocking": bool(r.get("blocking")),
            "failing": int(r.get("unexpected_count") or 0),
        }
        for r in top_failing_rules(summary, limit)
    ]


def last_run(run: Path, published_run: str | None) -> dict[str, Any]:
    """The outcome of one run folder (see the module docstring)."""
    status = _read(run / "status.json") or {}
    summary = _read(run / "validation.json")
    out: dict[str, Any] = {
        "run": run.name,
        "as_at": run.parent.name,
        "at": status.get("at"),
        "step": status.get("step"),
        "errors": None,
        "warnings": None,
        "top_rules": [],
    }
    if summary is not None:
        from annexa.validate.report import counts

        c = counts(summary)
        out |= {"errors": c["errors"], "warnings": c["warnings"], "top_rules": _top_rules(summary)}
    state, step = status.get("state"), status.get("step")
    if run.name == published_run or (step == "publish" and state == "done"):
        out["outcome"] = "published"
    elif summary is not None and summary.get("published") is False:
        out["outcome"] = "failed validation"
    elif state == "running":
        out["outcome"] = "running"
    else:  # failed in extract, build or publish (or left no status: crashed)
        out["outcome"] = "failed elsewhere"
        out["error"] = status.get("error")
    out["report"] = (run / "report.html").is_file()
    out["worklist"] = (run / "worklist.csv").is_file()
    return out


def la_readiness(la: str, *, out: Path, home: Path, today: dt.date, name: str = "") -> dict:
    latest = out / la / "latest"
    manifest = _read(latest / "manifest.json")
    good: dict[str, Any] | None = None
    if manifest is not None:
        as_at = dt.date.fromisoformat(manifest["as_at"])
        book = next((f for f in manifest.get("files") or {} if f.endswith(".xlsx")), None)
        pack = out / la / "packs" / manifest["as_at"] / "pack.html"
        good = {
            "as_at": manifest["as_at"],
            "age_days": (today - as_at).days,
            "run": manifest.get("run"),
            "generated_at": manifest.get("generated_at"),
            "errors": (manifest.get("validation") or {}).get("errors"),
            "warnings": (manifest.get("validation") or {}).get("warnings"),
            "workbook": bool(book and (latest / book).is_file()),
            "pack": pack.is_file(),
        }
        name = name or str(manifest.get("la_name") or "")
    runs = _runs(home, la)
    last = last_run(runs[0], good["run"] if good is not None else None) if runs else None
    if last is not None and not name:
        name = str((_read(runs[0] / "validation.json") or {}).get("la_name") or "")
    return {"la_code": la, "la_name": name, "latest": good, "last_run": last}


def readiness(
    out: Path | None = None, home: Path | None = None, today: dt.date | None = None
) -> dict:
    """Every LA's readiness (registered LAs first seen as "no return yet")."""
    out = Path(out) if out else default_output_dir()
    home = Path(home) if home else annexa_home()
    today = today or today_london()
    names = _registered()
    las = [
        la_readiness(code, out=out, home=home, today=today, name=names.get(code, ""))
        for code in _la_codes(out, home)
    ]
    return {"today": today.isoformat(), "las": las, "registry": os.environ.get("ANNEXA_LAS")}


def file_for(la: str, kind: str, *, out: Path | None = None, home: Path | None = None) -> Path:
    """The one file a readiness link points at (the latest good return's workbook and pack, the
    last run's report and worklist); FileNotFoundError otherwise. Only these four kinds, and an
    LA code that is a plain name, so a link can never reach another path."""
    out = Path(out) if out else default_output_dir()
    home = Path(home) if home else annexa_home()
    if kind not in KINDS or not _LA.match(la):
        raise FileNotFoundError(kind)
    latest = out / la / "latest"
    manifest = _read(latest / "manifest.json") or {}
    if kind == "workbook":
        book = next((f for f in manifest.get("files") or {} if f.endswith(".xlsx")), None)
        path = latest / book if book else None
    elif kind == "pack":
        path = out / la / "packs" / str(manifest.get("as_at")) / "pack.html" if manifest else None
    else:
        runs = _runs(home, la)
        path = (runs[0] / ("report.html" if kind == "report" else "worklist.csv")) if runs else None
    if path is None or not path.is_file():
        raise FileNotFoundError(kind)
    return path


STALE_DAYS = 35  # a month-end return plus the working days to build the next one


def render_page(doc: dict, base: str) -> str:
    """The readiness page (HTML, self-contained) for ``readiness()``'s document; links are
    relative to the plugin app's mount point ``base``."""
    from annexa.core.templating import render

    return render(
        "readiness.html.j2", today=doc["today"], las=doc["las"], base=base, stale_days=STALE_DAYS
    )
