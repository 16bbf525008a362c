"""DfE's findings on the built returns, in Annex A's shapes: validation.json, report.html and
worklist.csv (``annexa.validate.report``), one rule per DfE rule code (``cin_census:8500``,
``ssda903:103``) and one worklist row per failing record.

Severity: an error blocks publication of the returns (never of Annex A); a CIN query (code ending
in Q) and a rule that fires only because the SSD lacks the item (``annexa.returns.gaps``) are
warnings: published, listed. So, in an in-year run (the snapshot taken before the reference
date: a preview of a year still running), are DfE's rules that judge the state at the year's end
(``YEAR_END``). The files hold child ids, tables and fields, never values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annexa.core.files import write_json
from annexa.returns.gaps import gap
from annexa.returns.validators import ValidatorRun
from annexa.validate.findings import RuleResult, WorkItem
from annexa.validate.report import write_report, write_worklist

TARGETS = {"cin": "cin_census", "903": "ssda903"}


@dataclass
class Checked:
    summary: dict
    items: list[WorkItem]

    @property
    def errors(self) -> int:
        return int(self.summary["errors"])


# DfE rules that judge the return as at the end of the collection year (31 March): on a snapshot
# taken while the year is still running they report what the data cannot yet show (a child due
# to leave care at 18 before 31 March is still in care in it; DfE's 361 and 362 take an episode
# still open to last until 31 March). In-year they are warnings; in a run on data from the
# reference date on, errors like any other.
YEAR_END: dict[tuple[str, str], str] = {
    ("903", "359"): "a child looked after past 18 at the year's end; a child who turns 18 "
    "before 31 March is still in care in data taken earlier",
    ("903", "361"): "police protection longer than 72 hours, an open episode taken to last "
    "until 31 March",
    ("903", "362"): "an emergency protection order longer than 21 days, an open episode taken "
    "to last until 31 March",
}


def _severity(
    kind: str, rule: str, la_code: str | None = None, in_year: bool = False
) -> tuple[str, str | None]:
    why = gap(kind, rule, la_code)
    if why:
        return "warning", f"SSD gap: {why}"
    if in_year and (kind, rule) in YEAR_END:
        return "warning", f"in-year preview, an error at the year's end: {YEAR_END[(kind, rule)]}"
    if rule.upper().endswith("Q"):
        return "warning", "DfE query: check and explain on submission"
    return "error", None


def findings(
    runs: list[ValidatorRun], la_code: str | None = None, *, in_year: bool = False
) -> tuple[list[RuleResult], list[WorkItem]]:
    rules: list[RuleResult] = []
    items: list[WorkItem] = []
    for run in runs:
        target = TARGETS[run.kind]
        by_rule: dict[str, list] = {}
        for issue in run.issues:
            by_rule.setdefault(issue.rule, []).append(issue)
        for code in sorted(set(run.rules_run) | set(by_rule) | set(run.failed_to_run)):
            hits = by_rule.get(code, [])
            severity, note = _severity(run.kind, code, la_code, in_year)
            message = run.messages.get(code) or (hits[0].message if hits else code)
            description = f"DfE {code}: {message}" + (f" ({note})" if note else "")
            ids = sorted({i.child_id or "(whole return)" for i in hits})
            fields = sorted({f for i in hits for f in i.fields})
            failed = code in run.failed_to_run
            rules.append(
                RuleResult(
                    id=f"{target}:{code}",
                    target=target,
                    family="dfe",
                    column=", ".join(fields) or None,
                    # a rule DfE's engine could not run on our files is a warning (it is the
                    # engine's limitation, named in the report), not a block
                    severity="warning" if failed else severity,
                    description=description,
                    success=not hits and not failed,
                    unexpected_count=len(ids),
                    sample_ids=ids[:20],
                    failed_to_run=failed,
                )
            )
            for i in hits:
                items.append(
                    WorkItem(
                        rule=f"{target}:{code}",
                        severity=severity,
                        target=target,
                        column=", ".join(i.fields) or None,
                        record_id=f"{i.table or 'return'}#{i.row}"
                        if i.row
                        else (i.table or "return"),
                        child_id=i.child_id,
                        value=None,
                        team=None,
                        worker=None,
                        description=description,
                    )
                )
    return rules, items


def write_checked(folder: Path, runs: list[ValidatorRun], head: dict) -> Checked:
    """Write validation.json, report.html and worklist.csv into ``folder``; ``head["in_year"]``
    marks a preview of a year still running."""
    la = head.get("la_code")
    in_year = bool(head.get("in_year"))
    rules, items = findings(runs, la, in_year=in_year)
    blocking = [r for r in rules if r.blocking]
    summary = {
        **head,
        "kind": "statutory-returns",
        "published": not blocking,
        "errors": len(blocking),
        "warnings": sum(1 for r in rules if r.severity == "warning" and not r.success),
        "waived_records": 0,
        "waivers_applied": [],
        "unmapped": [],
        "validators": {
            TARGETS[r.kind]: {
                "ruleset": r.ruleset,
                "rules_run": len(r.rules_run),
                "errors": sorted(
                    {
                        i.rule
                        for i in r.issues
                        if _severity(r.kind, i.rule, la, in_year)[0] == "error"
                    }
                ),
                "year_end": sorted(
                    {i.rule for i in r.issues if in_year and (r.kind, i.rule) in YEAR_END}
                ),
                "queries": sorted({i.rule for i in r.issues if i.rule.upper().endswith("Q")}),
                "gaps": sorted({i.rule for i in r.issues if gap(r.kind, i.rule, la)}),
                "failed_to_run": r.failed_to_run,
                "seconds": r.seconds,
                "rows": r.rows,
            }
            for r in runs
        },
        "rules": [r.to_dict() for r in rules],
    }
    write_json(folder / "validation.json", summary)
    write_report(folder / "report.html", summary, items)
    write_worklist(folder / "worklist.csv", items)
    return Checked(summary, items)
