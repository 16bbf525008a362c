"""What a validation run tells people: the worklist CSV, the HTML report and a plain-text summary.

* ``write_worklist``: one row per failing record, *with* the offending value, team and worker, for
  the team managers who fix records at source. Owner-only (0600), never logged or emailed.
* ``write_report``: one self-contained HTML page (inline CSS, no scripts, no external URLs) with
  the status, counts, failing rules grouped by list and record ids, but never the offending values,
  names or dates, so it can be sent around. Everything is escaped.
* ``summary_text``: a few plain lines (status, counts, top failing rules with a few record ids)
  for logs and notifications: no values, names, dates of birth or free text.

All three read the validation summary (``validation.json``, see ``annexa.validate.findings``).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from annexa.core import templating
from annexa.core.files import write_text
from annexa.core.text import csv_safe
from annexa.validate.findings import WORKLIST_COLUMNS, WorkItem

REPORT_FILE = "report.html"
TEMPLATE = "report.html.j2"
WORKLIST_FILE = "worklist.csv"
RUNBOOK = "docs/runbook.md"
EXAMPLE_IDS = 20  # record ids shown per rule in the HTML report
TEXT_IDS = 5  # record ids shown per rule in the plain-text summary

PASS, WARN, FAIL = "PASS", "PASS WITH WARNINGS", "FAIL (blocked: nothing published)"
_LIST = re.compile(r"^list_(\d+)$")
_DIGITS = re.compile(r"^\d+$")


# ---------------------------------------------------------------------------------------------
# shared helpers


def _severity_rank(severity: str | None) -> int:
    return 0 if severity == "error" else 1


def target_key(target: str | None) -> tuple:
    """Lists 1..11 in number order, then source tables by name, then cross-list rules."""
    t = target or ""
    m = _LIST.match(t)
    if m:
        return (0, int(m.group(1)), "")
    if t == "cross":
        return (2, 0, "")
    return (1, 0, t)


def _natural(value: str | None) -> tuple:
    """Numeric ids in number order (9 before 10), others after them as text; blanks last."""
    if value is None or value == "":
        return (2, 0, "")
    if _DIGITS.match(value):
        return (0, int(value), value)
    return (1, 0, value)


def _blank_last(value: str | None) -> tuple:
    return (value is None or value == "", value or "")


def target_title(target: str, version: str = "later") -> str:
    """A heading for a rule target: the list's Annex A title, the source table, or cross-list."""
    m = _LIST.match(target or "")
    if m:
        number = int(m.group(1))
        try:
            from annexa import reference

            return reference.list_spec(number, version).title
        except Exception:  # noqa: BLE001 - a heading must never break the report
            return f"List {number}"
    if target == "cross":
        return "Cross-list rules"
    return f"Source table {target}"


def _is_failing(rule: dict) -> bool:
    return (
        not rule.get("success", True)
        or bool(rule.get("failed_to_run"))
        or int(rule.get("unexpected_count") or 0) > 0
    )


def _is_blocking(rule: dict) -> bool:
    return bool(rule.get("blocking"))  # decided once, by RuleResult.blocking


def counts(summary: dict) -> dict[str, int]:
    """Blocking errors, warnings, waived records and unmapped values of a summary."""
    rules = summary.get("rules") or []
    errors = summary.get("errors")
    warnings = summary.get("warnings")
    waived = summary.get("waived_records")
    return {
        "errors": int(errors if errors is not None else sum(map(_is_blocking, rules))),
        "warnings": int(
            warnings
            if warnings is not None
            else sum(1 for r in rules if r.get("severity") == "warning" and _is_failing(r))
        ),
        "waived_records": int(
            waived if waived is not None else sum(int(r.get("waived_count") or 0) for r in rules)
        ),
        "unmapped": len(summary.get("unmapped") or []),
    }


def status(summary: dict) -> str:
    """PASS, PASS WITH WARNINGS, or FAIL (blocked: nothing published)."""
    c = counts(summary)
    if c["errors"]:
        return FAIL
    return WARN if c["warnings"] else PASS


def _rule_order(r: dict) -> tuple:
    """Errors first, then by failing count (largest first), then by id."""
    return (
        _severity_rank(r.get("severity")),
        -int(r.get("unexpected_count") or 0),
        str(r.get("id")),
    )


def _failing_rules(summary: dict) -> list[dict]:
    return [r for r in summary.get("rules") or [] if _is_failing(r)]


# ---------------------------------------------------------------------------------------------
# worklist


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return csv_safe(str(value))


def worklist_sort_key(item: WorkItem) -> tuple:
    return (
        _severity_rank(item.severity),
        target_key(item.target),
        item.rule,
        _blank_last(item.team),
        _blank_last(item.worker),
        _natural(item.record_id),
    )


def write_worklist(path: Path, items: list[WorkItem]) -> Path:
    """The per-record worklist CSV: errors first, then by target, rule, team, worker, record.

    Holds the offending values, so it is owner-only (0600). Every text cell goes through
    ``csv_safe``, so a spreadsheet never evaluates one as a formula.
    """
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(WORKLIST_COLUMNS)
    for item in sorted(items, key=worklist_sort_key):
        row = item.to_dict()
        writer.writerow([_cell(row.get(c)) for c in WORKLIST_COLUMNS])
    return write_text(path, buf.getvalue())


# ---------------------------------------------------------------------------------------------
# plain-text summary


def _top_rules(summary: dict, limit: int) -> list[dict]:
    """Failing rules, errors first, then by failing count (largest first), then by id."""
    return sorted(_failing_rules(summary), key=_rule_order)[:limit]


def top_failing_rules(summary: dict, limit: int) -> list[dict]:
    """The summary's failing rules in the report's order (errors first, largest first)."""
    return _top_rules(summary, limit)


def summary_text(summary: dict, limit: int = 10) -> str:
    """A short plain-text summary: status, LA, as-at, counts, top failing rules with a few ids.

    Safe for logs and notifications: rule ids, counts and record ids only (no values, names,
    dates of birth, descriptions or waiver reasons).
    """
    c = counts(summary)
    la = summary.get("la_code") or "?"
    if summary.get("la_name"):
        la = f"{summary['la_name']} ({la})"
    lines = [
        f"Annex A validation: {status(summary)}",
        f"LA {la}, as at {summary.get('as_at') or '?'}, run {summary.get('run') or '?'}",
        f"Blocking errors: {c['errors']}; warnings: {c['warnings']}; "
        f"waived records: {c['waived_records']}; unmapped CMS values: {c['unmapped']}",
    ]
    failing = _failing_rules(summary)
    top = _top_rules(summary, max(limit, 0))
    if top:
        lines.append(f"Failing rules (errors first, largest first; {len(top)} of {len(failing)}):")
    for r in top:
        n = int(r.get("unexpected_count") or 0)
        ids = [str(i) for i in (r.get("sample_ids") or [])[:TEXT_IDS]]
        more = ", ..." if n > len(ids) and ids else ""
        what = "could not run" if r.get("failed_to_run") else f"{n} failing"
        if int(r.get("waived_count") or 0):
            what += f", {int(r['waived_count'])} waived"
        lines.append(
            f"- [{r.get('severity', '?')}] {r.get('id', '?')}: {what}"
            + (f" (records {', '.join(ids)}{more})" if ids else "")
        )
    if len(failing) > len(top):
        lines.append(f"... and {len(failing) - len(top)} more failing rule(s)")
    if not failing and not c["unmapped"]:
        lines.append("All checks passed.")
    lines.append(f"Details: the run folder's {REPORT_FILE} and {WORKLIST_FILE}; see {RUNBOOK}.")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# HTML report: the values here, the markup in templates/report.html.j2 (and report.css)


def _ids_text(ids: Iterable[object], total: int) -> str:
    """Up to EXAMPLE_IDS record ids, with how many more the worklist holds."""
    shown = [str(i) for i in ids][:EXAMPLE_IDS]
    text = ", ".join(shown)
    if total > len(shown) and shown:
        text += f" \u2026 (+{total - len(shown)} more in the worklist)"
    return text


def _rule_row(r: dict, item_ids: dict[str, list[str]]) -> dict:
    sev = "error" if r.get("severity") == "error" else "warning"
    n = int(r.get("unexpected_count") or 0)
    return {
        "severity": sev,
        "waived": sev == "error" and not _is_blocking(r),
        "description": r.get("description"),
        "id": r.get("id"),
        "column": r.get("column"),
        "failing": "could not run" if r.get("failed_to_run") else str(n),
        "waived_count": int(r.get("waived_count") or 0),
        "ids": _ids_text(r.get("sample_ids") or item_ids.get(str(r.get("id")), []), n),
    }


def _rule_groups(summary: dict, items: list[WorkItem]) -> list[dict]:
    """Failing rules by target (lists in number order, then source tables, then cross-list),
    errors first within each, then by failing count (largest first), then by id."""
    item_ids: dict[str, list[str]] = {}
    for it in sorted(items, key=lambda i: _natural(i.record_id)):
        item_ids.setdefault(it.rule, []).append(it.record_id)
    version = str(summary.get("annex_version") or "later")
    groups: dict[str, list[dict]] = {}
    for r in _failing_rules(summary):
        groups.setdefault(str(r.get("target") or str(r.get("id", "")).split(":")[0]), []).append(r)
    return [
        {
            "title": target_title(target, version),
            "rules": [_rule_row(r, item_ids) for r in sorted(groups[target], key=_rule_order)],
        }
        for target in sorted(groups, key=target_key)
    ]


def _teams(items: list[WorkItem]) -> list[dict]:
    """Failing records per allocated team (no workers: they are people), most errors first."""
    by_team: dict[str, Counter] = {}
    for it in items:
        team = it.team or "(no team recorded)"
        key = "waived" if it.waived else ("error" if it.severity == "error" else "warning")
        by_team.setdefault(team, Counter())[key] += 1
    ranked = sorted(by_team.items(), key=lambda kv: (-kv[1]["error"], -kv[1]["warning"], kv[0]))
    return [
        {"team": t, "error": c["error"], "warning": c["warning"], "waived": c["waived"]}
        for t, c in ranked
    ]


def _unmapped(summary: dict) -> list[dict]:
    unmapped = summary.get("unmapped") or []
    return [
        {
            "field": u.get("field"),
            "value": u.get("value"),
            "rows": u.get("rows"),
            "feeds": "; ".join(str(f) for f in u.get("feeds") or []),
        }
        for u in sorted(unmapped, key=lambda u: (str(u.get("field")), str(u.get("value"))))
    ]


def _waivers(summary: dict) -> list[dict]:
    return [
        {
            "rule": w.get("rule"),
            "ids": _ids_text(w.get("record_ids") or [], len(w.get("record_ids") or [])),
            "reason": w.get("reason"),
            "owner": w.get("owner"),
            "expires": w.get("expires"),
        }
        for w in summary.get("waivers_applied") or []
    ]


def render_report(summary: dict, items: list[WorkItem], folder: Path | None = None) -> str:
    """The report as one HTML string (see ``write_report``)."""
    state = status(summary)
    la = summary.get("la_name") or ""
    published = summary.get("published")
    return templating.render(
        TEMPLATE,
        state=state,
        level={PASS: "pass", WARN: "warn", FAIL: "fail"}[state],
        la=f"{la} ({summary.get('la_code')})" if la else str(summary.get("la_code") or "?"),
        as_at=summary.get("as_at") or "?",
        run=summary.get("run") or "?",
        published=("yes" if published else "no") if published is not None else "not recorded",
        counts=counts(summary),
        failing=len(_failing_rules(summary)),
        total=len(summary.get("rules") or []),
        groups=_rule_groups(summary, items),
        teams=_teams(items),
        unmapped=_unmapped(summary),
        waivers=_waivers(summary),
        worklist_file=WORKLIST_FILE,
        example_ids=EXAMPLE_IDS,
        runbook=RUNBOOK,
        folder=folder or Path("."),
    )


def write_report(path: Path, summary: dict, items: list[WorkItem]) -> Path:
    """One self-contained, printable HTML report (owner-only): status, counts, failing rules
    by target with example record ids, unmapped CMS values, waivers applied, what to do next.

    It shows record ids and counts but never the offending values, names or dates: those are
    only in the worklist CSV.
    """
    path = Path(path)
    return write_text(path, render_report(summary, items, path.parent))
