"""Statutory returns (issue 11): the CIN census and the SSDA903 from the same kind of snapshot,
checked by DfE's rules; the steps the statutory_returns DAG and `annexa returns` call."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from pathlib import Path

from annexa.core.dates import parse_date
from annexa.core.files import (
    owner_only,
)
from annexa.pipeline.config import RunConfig, ValidationFailed, resolve_as_at, resolve_run
from annexa.pipeline.steps import code_version

log = logging.getLogger(__name__)


def returns_config(
    params: dict,
    *,
    run_id: str,
    data_interval_start: dt.datetime | None = None,
    run_after: dt.datetime | None = None,
) -> dict:
    """The run's configuration: a RunConfig whose as-at date is the census reference date.

    ``year`` (the collection year's 31 March, 2026 for 2025/26) and ``reference_date`` are
    params; either gives the other (reference date 31 March of the year); neither: the current
    collection year on the day the run covers, which until its 31 March is an in-year preview
    (the build marks it; DfE's year-end rules then warn, ``annexa.returns.check.YEAR_END``).
    """
    from annexa.returns.build import collection_year, default_reference_date

    ref = params.get("reference_date")
    year = params.get("year")
    if ref:
        reference = parse_date(str(ref))
        if year and int(year) != collection_year(reference):
            raise ValueError(
                f"reference date {reference} is in collection year {collection_year(reference)}, "
                f"not {year}"
            )
    elif year:
        reference = default_reference_date(int(year))
    else:
        today = resolve_as_at(None, data_interval_start, run_after)
        reference = default_reference_date(collection_year(today))
    return resolve_run(
        {**params, "as_at": reference.isoformat()},
        run_id=run_id,
        data_interval_start=data_interval_start,
        run_after=run_after,
    )


def returns_build_step(
    cfg: dict, snapshot: str, *, progress: Callable[[str], None] | None = None
) -> dict:
    """Build the CIN census XML and the 903 CSVs into the run's ``returns`` folder."""
    owner_only()
    from annexa.returns.build import build_returns
    from annexa.transform.mapping import load_mapping

    c = RunConfig(**cfg)
    result = build_returns(
        Path(snapshot),
        c.work_dir() / "returns",
        reference_date=c.as_at_date,
        la_code=c.la_code,
        la_name=c.la_name,
        mapping=load_mapping(c.mapping),
        progress=progress,
    )
    return result.to_dict()


def returns_validate_step(cfg: dict, built: dict) -> dict:
    """Run DfE's CIN and 903 rules on the built files; write validation.json, report.html and
    worklist.csv beside them; raise ValidationFailed when any rule finds an error."""
    owner_only()
    from annexa.returns.check import write_checked
    from annexa.returns.validators import run
    from annexa.validate.report import summary_text

    c = RunConfig(**cfg)
    folder = Path(built["folder"])
    year = int(built["year"])
    ons = os.environ.get("ANNEXA_LA_ONS_CODE") or "E09000027"
    runs = [
        run("cin", [Path(built["cin_xml"])], year=year),
        run("903", [Path(p) for p in built["ssda903"].values()], year=year, la=ons),
    ]
    in_year = bool(built.get("in_year"))
    head = {
        "la_code": c.la_code,
        "la_name": c.la_name,
        "as_at": c.as_at,
        "collection_year": year,
        "data_as_of": built.get("data_as_of"),
        "in_year": in_year,
        "run": c.run_key,
    }
    checked = write_checked(folder, runs, head)
    text = summary_text(checked.summary).replace("Annex A validation", "Statutory returns (DfE)")
    if in_year:
        text += (
            f"\nIn-year preview: data as of {built.get('data_as_of')}, reference date "
            f"{c.as_at}; DfE's year-end rules are reported, not blocking."
        )
    out = {
        "folder": str(folder),
        "validation": str(folder / "validation.json"),
        "report": str(folder / "report.html"),
        "worklist": str(folder / "worklist.csv"),
        "errors": checked.errors,
        "warnings": checked.summary["warnings"],
        "validators": checked.summary["validators"],
        "in_year": in_year,
    }
    if checked.errors:
        log.error("%s", text)
        raise ValidationFailed(
            f"{text}\nStatutory returns not published (Annex A is unaffected). "
            f"Report: {out['report']}; worklist: {out['worklist']}",
            out["validation"],
        )
    log.info("%s", text)
    return out


def returns_publish_step(cfg: dict, built: dict, checked: dict) -> dict:
    """Publish the returns under ``<out>/<la>/returns/<year>/<reference date>``."""
    owner_only()
    from annexa.returns.publish import publish_returns

    c = RunConfig(**cfg)
    public = publish_returns(
        Path(c.out_dir),
        c.la_code,
        built,
        checked,
        run_key=c.run_key,
        code_version=code_version(),
    )
    return {"published": str(public), "cin_xml": str(public / "cin_census.xml")}
