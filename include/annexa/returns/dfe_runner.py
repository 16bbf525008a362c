"""Run DfE's validation rules (data-to-insight's ``csc-validator-be-cin`` / ``-903``) on files.

This script runs inside the validators' own environment (``.venv-validators``, made by
``make validators`` from ``tools/dfe-validators``): those packages pin pandas 1.x and numpy 1.24,
which the product cannot share. It imports nothing from annexa; the product starts it in a
subprocess (``annexa.returns.validators``) and reads the JSON it writes::

    python dfe_runner.py cin  --year 2026 --out issues.json census.xml
    python dfe_runner.py 903  --year 2026 --la E09000027 --out issues.json header.csv ...

The JSON holds rule codes, messages, child ids, tables, fields and row numbers; never values.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import re
import sys
import time
import warnings
from pathlib import Path


def _fields(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value]
    return [str(value)]


def _clean(value) -> str | None:
    text = None if value is None else str(value)
    return None if text in (None, "", "nan", "None", "NaT") else text


CIN_CHUNK = 250  # children per call of the package's reader


def _read_cin(cin_validator, root) -> dict:
    """The package's own reader (``convert_data``), called on a few hundred children at a time.

    It appends every child's rows to each table with ``pd.concat`` (a copy of the table so far
    each time), so one call on the whole file costs time quadratic in the number of children.
    Its ids (CINdetailsID, AssessmentID, CPPID) count within a child, so the tables of
    consecutive runs of whole children, concatenated in order, are the ones the whole file gives
    (the same rows, index, columns and types): the rules then run once, on all of them."""
    import xml.etree.ElementTree as ET

    import pandas as pd

    header = root.find("Header")
    children = root.find("Children")
    kids = [] if children is None else children.findall("Child")
    if len(kids) <= CIN_CHUNK:
        return cin_validator.convert_data(root)
    parts = []
    for i in range(0, len(kids), CIN_CHUNK):
        part = ET.Element(root.tag)
        part.append(header)
        ET.SubElement(part, "Children").extend(kids[i : i + CIN_CHUNK])
        parts.append(cin_validator.convert_data(part))
    tables = {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in parts[0]}
    tables["Header"] = parts[0]["Header"]
    return tables


def _every_review(root, template):
    """The Reviews table with one row per ``<CPPreviewDate>``, as the census specification has
    it (a plan's one ``<Reviews>`` group holds every review date, 1..n).

    The package's reader makes one row per ``<Reviews>`` element and reads only its first
    ``<CPPreviewDate>``, so every review after a plan's first was invisible to DfE's review rules
    (8841: a review on or before the plan's start; 4003: a review while a CIN plan is open).
    The rows carry the reader's own ids (CINdetailsID counted within the child, CPPID within the
    CINdetails, from 1) and come in the census's order; where every group holds one date the
    table is the reader's, row for row."""
    import pandas as pd

    rows = []
    for child in root.iter("Child"):
        found = child.find("ChildIdentifiers/LAchildID")
        la_child = found.text if found is not None else pd.NA
        for n_cin, cin in enumerate(child.findall("CINdetails"), start=1):
            for n_plan, plan in enumerate(cin.findall("ChildProtectionPlans"), start=1):
                for group in plan.findall("Reviews"):
                    for date in group.findall("CPPreviewDate"):
                        rows.append(
                            {
                                "LAchildID": la_child,
                                "CINdetailsID": n_cin,
                                "CPPID": n_plan,
                                "CPPreviewDate": date.text,
                            }
                        )
    return pd.concat([template.iloc[0:0], pd.DataFrame(rows)], ignore_index=True)


def _number_plans_within_child(tables: dict) -> None:
    """CPPID, counted within each child (1, 2, ... in the census's order), in the CP plan and
    review tables.

    The package's reader counts CPPID from 1 again in every CINdetails, while rules key plans by
    LAchildID and CPPID alone: 4003 then gave one referral's review to another's first plan (and
    flagged it against that referral's CIN plan), 8940 took two referrals' first plans for one
    plan (and never compared them). Numbered within the child, each CPPID names one plan, and a
    join that also uses CINdetailsID finds the same rows as before."""
    plans, reviews = tables["ChildProtectionPlans"], tables["Reviews"]
    if plans.empty:
        return
    key = ["LAchildID", "CINdetailsID", "CPPID"]
    old = list(plans[key].itertuples(index=False, name=None))
    new = plans.groupby("LAchildID", sort=False).cumcount() + 1
    number = dict(zip(old, new.tolist(), strict=True))
    plans["CPPID"] = new.values
    if not reviews.empty:
        reviews["CPPID"] = [
            number.get(k, k[2]) for k in reviews[key].itertuples(index=False, name=None)
        ]


def run_cin(path: Path, ruleset: str) -> dict:
    import importlib
    import xml.etree.ElementTree as ET

    from cin_validator import cin_validator

    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    rules = {str(r.code): r for _, r in registry.items()}
    t0 = time.time()
    root = ET.parse(path).getroot()
    raw = _read_cin(cin_validator, root)
    raw["Reviews"] = _every_review(root, raw["Reviews"])
    _number_plans_within_child(raw)
    data = cin_validator.process_data(raw)
    t1 = time.time()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # the engine prints a rule's exception
        v = cin_validator.CinValidator(data, registry)
    failed = sorted(set(re.findall(r"Error with rule (\S+?):", printed.getvalue())))
    issues = []
    df = v.full_issue_df
    for rec in df.to_dict("records"):
        code = str(rec.get("rule_code"))
        issues.append(
            {
                "rule": code,
                "message": str(rec.get("rule_description") or rules[code].message),
                "child_id": _clean(rec.get("child_id")),
                "table": _clean(rec.get("tables_affected")),
                "fields": _fields(rec.get("columns_affected")),
                "row": _clean(rec.get("row_id")),
            }
        )
    for rec in v.multichild_issues.to_dict("records"):  # header and return-level rules
        code = str(rec.get("rule_code"))
        issues.append(
            {
                "rule": code,
                "message": str(rec.get("rule_description") or rules[code].message),
                "child_id": None,
                "table": "Header" if code in set(v.full_issue_df["rule_code"]) else None,
                "fields": [],
                "row": None,
            }
        )
    return {
        "kind": "cin",
        "ruleset": ruleset,
        "rules_run": sorted(rules),
        "messages": {c: str(r.message) for c, r in rules.items()},
        "failed_to_run": failed,
        "issues": issues,
        "seconds": {"read": round(t1 - t0, 3), "rules": round(time.time() - t1, 3)},
        "rows": {k: int(len(t)) for k, t in data.items()},
    }


def _deep_copy(data_store: dict) -> dict:
    return {k: v if k == "metadata" else v.copy(deep=True) for k, v in data_store.items()}


def run_903(paths: list[Path], ruleset: str, year: str, la: str) -> dict:
    import importlib

    import pandas as pd
    from lac_validator import lac_validator
    from lac_validator.report import Report
    from lac_validator.utils import process_uploaded_files

    logging.disable(logging.WARNING)  # the engine logs each rule at INFO, and value samples
    # The engine hands each rule a shallow copy of the tables ("a clean copy of the files"), but
    # some rules write into them in place: rule 365 fills every blank DEC with the collection
    # end, so each rule after it saw open episodes as ended on 31 March (575 and 577 then fired
    # on a missing episode still open at A in a placement still open). Each rule gets its own
    # deep copy, as the engine means it to: the rules' code is unchanged.
    lac_validator.copy_datastore = _deep_copy
    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    rules = {str(c): r for c, r in registry.items()}
    files = process_uploaded_files({"This year": [str(p) for p in paths]})
    t0 = time.time()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        v = lac_validator.LacValidator(
            metadata={"collectionYear": year, "localAuthority": la},
            files=files,
            registry=registry,
        )
        report = Report(v.ds_results, registry)
        cols = [c for c in report.report.columns if c.startswith("ERR_")]
        issues = []
        if cols:
            full = lac_validator.create_issue_df(report.report, report.error_report)
            grouped: dict[tuple, dict] = {}
            for rec in full.to_dict("records"):
                key = (str(rec["rule_code"]), str(rec["tables_affected"]), str(rec["row_id"]))
                item = grouped.setdefault(
                    key,
                    {
                        "rule": key[0],
                        "message": str(rec["rule_description"]),
                        "child_id": _clean(rec["child_id"]),
                        "table": key[1],
                        "fields": [],
                        "row": key[2],
                    },
                )
                f = _clean(rec["columns_affected"])
                if f and f not in item["fields"]:
                    item["fields"].append(f)
            issues = list(grouped.values())
    rows = {k: int(len(t)) for k, t in v.dfs.items() if isinstance(t, pd.DataFrame)}
    return {
        "kind": "903",
        "ruleset": ruleset,
        "rules_run": sorted(rules),
        "messages": {c: str(r.message) for c, r in rules.items()},
        "failed_to_run": sorted(str(c) for c in v.fails),
        "skipped": sorted(str(c) for c in v.skips),
        "issues": issues,
        "seconds": {"all": round(time.time() - t0, 3)},
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("kind", choices=["cin", "903"])
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--year", required=True, help="collection year's end, e.g. 2026 for 2025/26")
    p.add_argument("--la", default="E09000027", help="903: the LA's 9-character ONS code")
    p.add_argument("--ruleset", default=None, help="default: cin/lac<year-1>_<yy>")
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args(argv)
    warnings.simplefilter("ignore")  # the packages' pandas 1.x FutureWarnings, on stderr
    year = int(a.year)
    suffix = f"{year - 1}_{str(year)[2:]}"
    if a.kind == "cin":
        doc = run_cin(a.files[0], a.ruleset or f"cin{suffix}")
    else:
        doc = run_903(a.files, a.ruleset or f"lac{suffix}", str(year), a.la)
    a.out.write_text(json.dumps(doc, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
