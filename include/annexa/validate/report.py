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
import html
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from annexa.core.text import csv_safe
from annexa.validate.findings import WORKLIST_COLUMNS, WorkItem

REPORT_FILE = "report.html"
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


def _failing_rules(summary: dict) -> list[dict]:
    return [r for r in summary.get("rules") or [] if _is_failing(r)]


def _write_private(path: Path, text: str) -> Path:
    """Write UTF-8 text (no BOM) to ``path``, owner-only, replacing it whole."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an old tmp file may have had wider rights
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    return path


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
    return _write_private(path, buf.getvalue())


# ---------------------------------------------------------------------------------------------
# plain-text summary


def _top_rules(summary: dict, limit: int) -> list[dict]:
    """Failing rules, errors first, then by failing count (largest first), then by id."""
    return sorted(
        _failing_rules(summary),
        key=lambda r: (
            _severity_rank(r.get("severity")),
            -int(r.get("unexpected_count") or 0),
            str(r.get("id")),
        ),
    )[:limit]


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
# HTML report

_CSS = """
:root { --err: #b00020; --warn: #8a5a00; --ok: #1b6e20; --ink: #1d1d1f; --muted: #5f6368;
        --line: #d6d6d6; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: var(--ink); margin: 0; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--line);
     padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.meta span { margin-right: 18px; white-space: nowrap; }
.status { font-size: 28px; font-weight: 700; padding: 14px 18px; border-radius: 6px;
          border: 3px solid; margin: 12px 0; }
.status.pass { color: var(--ok); border-color: var(--ok); background: #eef7ee; }
.status.warn { color: var(--warn); border-color: var(--warn); background: #fdf6e7; }
.status.fail { color: var(--err); border-color: var(--err); background: #fdecee; }
.counts { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.count { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 150px;
         background: var(--bg); }
.count b { display: block; font-size: 24px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left;
         vertical-align: top; }
th { background: var(--bg); }
td.num, th.num { text-align: right; white-space: nowrap; }
code, .ids { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; font-size: 13px; }
.ids { word-break: break-word; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
         font-weight: 700; color: #fff; white-space: nowrap; }
.badge.error { background: var(--err); }
.badge.warning { background: var(--warn); }
.badge.waived { background: var(--muted); }
.note { color: var(--muted); font-size: 13px; }
.next { border-left: 4px solid var(--ink); background: var(--bg); padding: 8px 16px;
        margin-top: 24px; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .status, .badge, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .badge { border: 1px solid #000; }
  h2, h3 { break-after: avoid; }
  tr, .count, .next { break-inside: avoid; }
  table { font-size: 9pt; }
}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _ids(ids: Iterable[object], total: int) -> str:
    shown = [str(i) for i in ids][:EXAMPLE_IDS]
    text = ", ".join(shown)
    if total > len(shown) and shown:
        text += f" … (+{total - len(shown)} more in the worklist)"
    return f'<span class="ids">{_e(text)}</span>' if text else ""


def _rule_rows(rules: list[dict], item_ids: dict[str, list[str]]) -> str:
    rows = []
    for r in sorted(
        rules,
        key=lambda r: (
            _severity_rank(r.get("severity")),
            -int(r.get("unexpected_count") or 0),
            str(r.get("id")),
        ),
    ):
        sev = "error" if r.get("severity") == "error" else "warning"
        badge = f'<span class="badge {sev}">{sev.upper()}</span>'
        if sev == "error" and not _is_blocking(r):
            badge += ' <span class="badge waived">WAIVED</span>'
        n = int(r.get("unexpected_count") or 0)
        failing = "could not run" if r.get("failed_to_run") else str(n)
        ids = r.get("sample_ids") or item_ids.get(str(r.get("id")), [])
        rows.append(
            "<tr>"
            f"<td>{badge}</td>"
            f"<td>{_e(r.get('description'))}<br><code>{_e(r.get('id'))}</code></td>"
            f"<td>{_e(r.get('column') or '')}</td>"
            f'<td class="num">{_e(failing)}</td>'
            f'<td class="num">{_e(int(r.get("waived_count") or 0))}</td>'
            f"<td>{_ids(ids, n)}</td>"
            "</tr>"
        )
    head = (
        "<tr><th>Severity</th><th>Check (rule id)</th><th>Column</th>"
        '<th class="num">Failing</th><th class="num">Waived</th>'
        f"<th>Example record ids (up to {EXAMPLE_IDS})</th></tr>"
    )
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _rules_section(summary: dict, items: list[WorkItem]) -> str:
    failing = _failing_rules(summary)
    total = len(summary.get("rules") or [])
    if not failing:
        return ""
    item_ids: dict[str, list[str]] = {}
    for it in sorted(items, key=lambda i: _natural(i.record_id)):
        item_ids.setdefault(it.rule, []).append(it.record_id)
    version = str(summary.get("annex_version") or "later")
    groups: dict[str, list[dict]] = {}
    for r in failing:
        groups.setdefault(str(r.get("target") or str(r.get("id", "")).split(":")[0]), []).append(r)
    parts = [
        f"<h2>Failing checks ({len(failing)} of {total})</h2>",
        '<p class="note">Counts and record ids only. The offending values, with the '
        f"allocated team and worker, are in <code>{_e(WORKLIST_FILE)}</code> in the run "
        "folder (owner-only: do not email it).</p>",
    ]
    for target in sorted(groups, key=target_key):
        parts.append(f"<h3>{_e(target_title(target, version))}</h3>")
        parts.append(_rule_rows(groups[target], item_ids))
    return "\n".join(parts)


def _teams_section(items: list[WorkItem]) -> str:
    """Failing records per allocated team (no workers: they are people)."""
    if not items:
        return ""
    by_team: dict[str, Counter] = {}
    for it in items:
        team = it.team or "(no team recorded)"
        key = "waived" if it.waived else ("error" if it.severity == "error" else "warning")
        by_team.setdefault(team, Counter())[key] += 1
    rows = "".join(
        f'<tr><td>{_e(t)}</td><td class="num">{c["error"]}</td>'
        f'<td class="num">{c["warning"]}</td><td class="num">{c["waived"]}</td></tr>'
        for t, c in sorted(
            by_team.items(), key=lambda kv: (-kv[1]["error"], -kv[1]["warning"], kv[0])
        )
    )
    return (
        "<h2>Records to fix, by allocated team</h2>"
        '<table><thead><tr><th>Team</th><th class="num">Errors</th>'
        '<th class="num">Warnings</th><th class="num">Waived</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _unmapped_section(summary: dict) -> str:
    unmapped = summary.get("unmapped") or []
    if not unmapped:
        return ""
    rows = "".join(
        f"<tr><td><code>{_e(u.get('field'))}</code></td><td><code>{_e(u.get('value'))}</code>"
        f'</td><td class="num">{_e(u.get("rows"))}</td>'
        f"<td>{_e('; '.join(str(f) for f in u.get('feeds') or []))}</td></tr>"
        for u in sorted(unmapped, key=lambda u: (str(u.get("field")), str(u.get("value"))))
    )
    return (
        "<h2>CMS values with no mapping</h2>"
        '<p class="note">Codes in the CMS that the LA\'s mapping file cannot translate. '
        "Add them to the mapping (or correct them in the CMS); each leaves a blank cell in "
        "the list columns it feeds.</p>"
        "<table><thead><tr><th>CMS field</th><th>Value</th>"
        '<th class="num">Source rows</th><th>Feeds (list: column)</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _waivers_section(summary: dict) -> str:
    waivers = summary.get("waivers_applied") or []
    if not waivers:
        return ""
    rows = []
    for w in waivers:
        ids = list(w.get("record_ids") or [])
        rows.append(
            f"<tr><td><code>{_e(w.get('rule'))}</code></td><td>{_ids(ids, len(ids))}</td>"
            f"<td>{_e(w.get('reason'))}</td><td>{_e(w.get('owner'))}</td>"
            f'<td class="num">{_e(w.get("expires"))}</td></tr>'
        )
    return (
        "<h2>Waivers applied</h2>"
        "<table><thead><tr><th>Rule</th><th>Records</th><th>Reason</th><th>Owner</th>"
        f'<th class="num">Expires</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _next_section(state: str, folder: Path) -> str:
    if state == PASS:
        return ""
    steps = (
        "<li>Open <code>worklist.csv</code> (same folder) to see each failing record with "
        "its value, team and worker.</li>"
        "<li>Fix each record at source, in the CMS; or, if a record is right as it is, "
        "waive it: add an entry (rule, records, reason, owner, expiry date) to the waiver "
        "file.</li>"
        "<li>Re-run in Airflow: after adding a waiver, clear the failed "
        "<code>validate</code> task with its downstream tasks; after a fix in the CMS, "
        "clear <code>extract</code> with its downstream tasks, so a fresh snapshot is "
        "taken. Or run <code>annexa run --source URL --as-at DATE --out DIR</code> for "
        "this as-at date.</li>"
    )
    if state == WARN:
        steps = (
            "<li>This return was published. Warnings do not block it, but fix them at "
            "source before the next inspection.</li>" + steps
        )
    return (
        '<div class="next"><h2>What to do next</h2><ol>' + steps + "</ol>"
        f"<p>Step by step: <code>{_e(RUNBOOK)}</code> in the annexa repository. "
        f"Run folder: <code>{_e(folder)}</code>.</p></div>"
    )


def render_report(summary: dict, items: list[WorkItem], folder: Path | None = None) -> str:
    """The report as one HTML string (see ``write_report``)."""
    state = status(summary)
    c = counts(summary)
    css_class = {PASS: "pass", WARN: "warn", FAIL: "fail"}[state]
    la = summary.get("la_name") or ""
    la_text = f"{la} ({summary.get('la_code')})" if la else str(summary.get("la_code") or "?")
    published = summary.get("published")
    pub_text = ("yes" if published else "no") if published is not None else "not recorded"
    title = f"Annex A validation: {state}, LA {la_text}, as at {summary.get('as_at') or '?'}"
    failing = _failing_rules(summary)
    total = len(summary.get("rules") or [])
    body = [
        f"<h1>Annex A validation report: {_e(la_text)}</h1>",
        '<p class="meta">'
        f"<span>As at <b>{_e(summary.get('as_at') or '?')}</b></span>"
        f"<span>Run <code>{_e(summary.get('run') or '?')}</code></span>"
        f"<span>Published: <b>{_e(pub_text)}</b></span></p>",
        f'<div class="status {css_class}">{_e(state)}</div>',
        '<div class="counts">'
        f'<div class="count"><b>{c["errors"]}</b>blocking errors</div>'
        f'<div class="count"><b>{c["warnings"]}</b>warnings</div>'
        f'<div class="count"><b>{c["waived_records"]}</b>waived records</div>'
        f'<div class="count"><b>{c["unmapped"]}</b>unmapped CMS values</div>'
        f'<div class="count"><b>{total - len(failing)} / {total}</b>checks passed</div>'
        "</div>",
    ]
    if not failing and not c["unmapped"]:
        body.append("<p><b>All checks passed.</b> Nothing needs fixing for this run.</p>")
    body += [
        _rules_section(summary, items),
        _teams_section(items),
        _unmapped_section(summary),
        _waivers_section(summary),
        _next_section(state, folder or Path(".")),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(p for p in body if p)
        + "\n</main>\n</body>\n</html>\n"
    )


def write_report(path: Path, summary: dict, items: list[WorkItem]) -> Path:
    """One self-contained, printable HTML report (owner-only): status, counts, failing rules
    by target with example record ids, unmapped CMS values, waivers applied, what to do next.

    It shows record ids and counts but never the offending values, names or dates: those are
    only in the worklist CSV.
    """
    path = Path(path)
    return _write_private(path, render_report(summary, items, path.parent))
