"""The validation report (HTML), the worklist (CSV) and the plain-text summary."""

from __future__ import annotations

import csv
import os
import re
import stat

import pytest

from annexa.validate.findings import WORKLIST_COLUMNS, RuleResult, WorkItem
from annexa.validate.report import (
    FAIL,
    PASS,
    WARN,
    render_report,
    status,
    summary_text,
    write_report,
    write_worklist,
)

# offending values, names and dates that live only in the worklist
DOB = "2011-04-17"
NAME = "Jayden Smallwood"
WORKER = "Priya Worker-Name"
SECRET_VALUES = [DOB, NAME, WORKER, "=HYPERLINK(1)", "+44 7700 900123", "Not a code"]


def _rule(
    id_,
    severity,
    count=0,
    *,
    sample=None,
    waived=0,
    description=None,
    column=None,
    failed_to_run=False,
) -> dict:
    target, family, *rest = id_.split(":")
    r = RuleResult(
        id=id_,
        target=target,
        family=family,
        column=column or (rest[0] if rest else None),
        severity=severity,
        description=description or f"Check {family}.",
        success=count == 0 and not failed_to_run,
        unexpected_count=count,
        waived_count=waived,
        sample_ids=list(sample or []),
        failed_to_run=failed_to_run,
    )
    return r.to_dict()


def _summary(rules, **kw) -> dict:
    rules = list(rules)
    out = {
        "la_code": "999",
        "la_name": "Synthshire",
        "as_at": "2026-03-31",
        "run": "scheduled__2026-03-31T00:00:00+00:00",
        "errors": sum(r["blocking"] for r in rules),
        "warnings": sum(1 for r in rules if r["severity"] == "warning" and not r["success"]),
        "waived_records": sum(r["waived_count"] for r in rules),
        "published": not any(r["blocking"] for r in rules),
        "rules": rules,
        "waivers_applied": [],
        "unmapped": [],
    }
    return out | kw


@pytest.fixture
def failing():
    rules = [
        _rule("list_10:required:date_of_birth", "error", 3, sample=["A10", "A11", "A12"]),
        _rule("list_2:code_in_list:gender", "warning", 2, sample=["E7", "E9"]),
        _rule(
            "list_8:required:date_of_birth",
            "error",
            45,
            sample=[f"C{i}" for i in range(1, 21)],
            description="Date of birth is filled in <script>alert('x')</script> & checked.",
        ),
        _rule("list_8:row_key_unique", "error", 0),
        _rule(
            "ssd_contacts:key_unique:cont_contact_id", "error", 2, sample=["901", "902"], waived=2
        ),
        _rule("cross:icpc_plan_in_list_7", "error", 0, failed_to_run=True),
        _rule("list_1:columns_in_order", "error", 0),
    ]
    summary = _summary(rules)
    summary["unmapped"] = [
        {
            "field": "ssd_person.pers_gender",
            "value": "Mle",
            "rows": 2,
            "feeds": ["List 1: gender", "List 8: gender"],
        }
    ]
    summary["waivers_applied"] = [
        {
            "rule": "ssd_contacts:key_unique:cont_contact_id",
            "record_ids": ["901", "902"],
            "reason": "Legacy merge <b>duplicates</b>",
            "owner": "Front door team",
            "expires": "2026-06-30",
        }
    ]
    items = [
        WorkItem(
            "list_8:required:date_of_birth",
            "error",
            "list_8",
            "date_of_birth",
            "C1",
            "P1",
            None,
            "Team North",
            WORKER,
            "Date of birth is filled in.",
        ),
        WorkItem(
            "list_10:required:date_of_birth",
            "error",
            "list_10",
            "date_of_birth",
            "A10",
            "P2",
            DOB,
            "Team South",
            WORKER,
            "Date of birth is filled in.",
        ),
        WorkItem(
            "list_2:code_in_list:gender",
            "warning",
            "list_2",
            "gender",
            "E7",
            "P3",
            "Not a code",
            None,
            None,
            "Gender is an Annex A code.",
        ),
        WorkItem(
            "list_2:code_in_list:gender",
            "warning",
            "list_2",
            "gender",
            "E9",
            NAME,
            "=HYPERLINK(1)",
            "Team North",
            None,
            "Gender is an Annex A code.",
        ),
        WorkItem(
            "ssd_contacts:key_unique:cont_contact_id",
            "error",
            "ssd_contacts",
            "cont_contact_id",
            "901",
            "P4",
            "+44 7700 900123",
            "Team North",
            WORKER,
            "Contact ids are unique.",
            waived=True,
            waiver_reason="Legacy merge",
        ),
    ]
    return summary, items


# ---------------------------------------------------------------------------------------------
# HTML report


def test_report_is_one_self_contained_file(tmp_path, failing):
    summary, items = failing
    path = write_report(tmp_path / "report.html", summary, items)
    text = path.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    low = text.lower()
    for external in ("<script", "<link", "<img", "<iframe", " src=", "@import", "url(", "//cdn"):
        assert external not in low, external
    assert "<style>" in text and "@media print" in text
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_report_header_status_and_counts(failing):
    summary, items = failing
    text = render_report(summary, items)
    assert "Synthshire (999)" in text and "2026-03-31" in text and summary["run"] in text
    assert f'<div class="status fail">{FAIL}</div>' in text
    assert "Published: <b>no</b>" in text


def test_report_counts_are_shown(failing):
    # list_10, list_8 and the cross rule that could not run block; the source one is waived
    summary, items = failing
    text = render_report(summary, items)
    found = re.findall(r'<div class="count"><b>([^<]+)</b>([^<]+)</div>', text)
    assert found == [
        ("3", "blocking errors"),
        ("1", "warnings"),
        ("2", "waived records"),
        ("1", "unmapped CMS values"),
        ("2 / 7", "checks passed"),
    ]


def test_report_groups_lists_in_number_order_then_sources_then_cross(failing):
    summary, items = failing
    text = render_report(summary, items)
    headings = re.findall(r"<h3>([^<]+)</h3>", text)
    assert headings == [
        "List 2: Early Help",
        "List 8: Children in care",
        "List 10: Adoption",
        "Source table ssd_contacts",
        "Cross-list rules",
    ]
    # passing rules are not listed one by one
    assert "list_8:row_key_unique" not in text and "list_1:columns_in_order" not in text


def test_report_rows_show_count_waived_and_up_to_20_ids(failing):
    summary, items = failing
    text = render_report(summary, items)
    row = next(r for r in text.split("<tr>") if "list_8:required:date_of_birth" in r)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells == ["45", "0"]
    assert "C1, C2" in row and "C20" in row and "(+25 more in the worklist)" in row
    waived = next(r for r in text.split("<tr>") if "ssd_contacts:key_unique" in r and "badge" in r)
    assert "WAIVED" in waived and re.findall(r'<td class="num">([^<]*)</td>', waived) == ["2", "2"]
    cross = next(r for r in text.split("<tr>") if "cross:icpc_plan_in_list_7" in r)
    assert "could not run" in cross
    assert "A10, A11, A12" in text and "E7, E9" in text


def test_report_never_shows_values_names_or_dates(failing):
    summary, items = failing
    text = render_report(summary, items)
    for value in SECRET_VALUES:
        assert value not in text, value
        assert value.replace("+", "&#x2B;") not in text
    assert "Team North" in text  # per-team counts, but no worker names


def test_report_escapes_everything(failing):
    summary, items = failing
    text = render_report(summary, items)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; checked." in text
    assert "Legacy merge &lt;b&gt;duplicates&lt;/b&gt;" in text


def test_script_in_team_worker_or_rule_renders_as_text(failing):
    """A <script> in a team, a worker, a rule's id, wording or column, a record id, a waiver or
    an unmapped value is text in the report; the worker is not shown at all."""
    from html.parser import HTMLParser

    attack = "<script>alert('pwn')</script>"
    escaped = "&lt;script&gt;alert(&#x27;pwn&#x27;)&lt;/script&gt;"
    summary, items = failing
    rule = summary["rules"][0]
    rule.update(description=attack, column=attack, sample_ids=[attack, *rule["sample_ids"]])
    summary["rules"][1]["id"] = attack
    summary["la_name"] = attack
    summary["unmapped"][0].update(field=attack, value=attack)
    summary["waivers_applied"][0].update(reason=attack, owner=attack)
    items = [
        WorkItem(
            i.rule,
            i.severity,
            i.target,
            i.column,
            i.record_id,
            i.child_id,
            i.value,
            attack,
            f"{WORKER} {attack}",
            i.description,
        )
        for i in items
    ]
    text = render_report(summary, items)

    tags: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    Tags().feed(text)
    assert "script" not in tags and "<script" not in text.lower()
    assert f"<tr><td>{escaped}</td>" in text  # the team, in the per-team counts
    assert f"<code>{escaped}</code>" in text  # the rule id
    assert f"<h1>Annex A validation report: {escaped} (999)</h1>" in text
    assert text.count(escaped) >= 9
    assert WORKER not in text  # workers are people: never in the report


def test_report_lists_unmapped_values_waivers_and_next_steps(failing):
    summary, items = failing
    text = render_report(summary, items)
    unmapped = text.split("CMS values with no mapping")[1].split("</table>")[0]
    assert "ssd_person.pers_gender" in unmapped and "Mle" in unmapped
    assert "List 1: gender; List 8: gender" in unmapped and '"num">2<' in unmapped
    waivers = text.split("Waivers applied")[1].split("</table>")[0]
    for part in (
        "ssd_contacts:key_unique:cont_contact_id",
        "901, 902",
        "Front door team",
        "2026-06-30",
    ):
        assert part in waivers
    nxt = text.split("What to do next")[1]
    assert "docs/runbook.md" in nxt and "annexa run --source URL --as-at DATE" in nxt
    assert "validate" in nxt


def test_clean_run_reports_all_checks_passed(tmp_path):
    summary = _summary(
        [
            _rule("list_1:columns_in_order", "error"),
            _rule("list_8:required:date_of_birth", "error"),
        ],
        published=True,
    )
    text = write_report(tmp_path / "r.html", summary, []).read_text()
    assert status(summary) == PASS
    assert '<div class="status pass">PASS</div>' in text
    assert "All checks passed." in text
    for section in ("Failing checks", "What to do next", "Waivers applied", "no mapping"):
        assert section not in text
    assert "http" not in text


def test_warnings_only_is_pass_with_warnings():
    summary = _summary([_rule("list_2:code_in_list:gender", "warning", 4, sample=["E1"])])
    assert status(summary) == WARN
    text = render_report(summary, [])
    assert f'<div class="status warn">{WARN}</div>' in text
    assert "This return was published" in text


def test_empty_summary_does_not_break():
    text = render_report({}, [])
    assert PASS in text and "All checks passed." in text


# ---------------------------------------------------------------------------------------------
# worklist CSV


def _read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_worklist_sorted_errors_first_then_target_rule_team_worker_record(tmp_path):
    def item(rule, sev, record, team=None, worker=None):
        return WorkItem(rule, sev, rule.split(":")[0], None, record, None, None, team, worker, "d")

    items = [
        item("list_2:required:gender", "warning", "1"),
        item("list_10:required:date_of_birth", "error", "5", "Team A", "W1"),
        item("list_8:required:date_of_birth", "error", "10", "Team B", "W1"),
        item("list_8:required:date_of_birth", "error", "9", "Team B", "W1"),
        item("list_8:required:date_of_birth", "error", "3", None, None),
        item("list_8:required:date_of_birth", "error", "4", "Team A", "W2"),
        item("list_8:code_in_list:gender", "error", "7", "Team Z"),
        item("cross:dob_agrees", "error", "2"),
        item("ssd_contacts:key_unique:cont_contact_id", "error", "8"),
    ]
    path = write_worklist(tmp_path / "worklist.csv", items)
    rows = _read(path)
    assert rows[0] == WORKLIST_COLUMNS
    got = [(r[0], r[1], r[8], r[5]) for r in rows[1:]]
    assert got == [
        ("error", "list_8:code_in_list:gender", "Team Z", "7"),
        ("error", "list_8:required:date_of_birth", "Team A", "4"),
        ("error", "list_8:required:date_of_birth", "Team B", "9"),
        ("error", "list_8:required:date_of_birth", "Team B", "10"),
        ("error", "list_8:required:date_of_birth", "", "3"),
        ("error", "list_10:required:date_of_birth", "Team A", "5"),
        ("error", "ssd_contacts:key_unique:cont_contact_id", "", "8"),
        ("error", "cross:dob_agrees", "", "2"),
        ("warning", "list_2:required:gender", "", "1"),
    ]


def test_worklist_is_owner_only_even_over_an_older_file(tmp_path):
    path = tmp_path / "worklist.csv"
    path.write_text("old")
    os.chmod(path, 0o644)
    write_worklist(path, [])
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [path]


def test_worklist_neutralises_formulas_and_keeps_values(tmp_path, failing):
    _, items = failing
    path = write_worklist(tmp_path / "w.csv", items)
    rows = {r[5]: dict(zip(WORKLIST_COLUMNS, r, strict=True)) for r in _read(path)[1:]}
    assert rows["E9"]["value"] == "'=HYPERLINK(1)"
    assert rows["901"]["value"] == "'+44 7700 900123"
    assert rows["901"]["waived"] == "yes" and rows["901"]["waiver_reason"] == "Legacy merge"
    assert rows["A10"]["value"] == DOB and rows["A10"]["worker"] == WORKER
    assert rows["E9"]["child_id"] == NAME
    assert rows["C1"]["value"] == "" and rows["C1"]["waived"] == "no"
    neg = WorkItem("list_1:x", "error", "list_1", None, "-5", None, "@SUM(A1)", "\tTeam", "-W", "d")
    row = _read(write_worklist(tmp_path / "n.csv", [neg]))[1]
    assert row[5] == "'-5" and row[7] == "'@SUM(A1)" and row[8] == "'\tTeam" and row[9] == "'-W"


def test_empty_worklist_is_header_only_utf8_without_bom(tmp_path):
    path = write_worklist(tmp_path / "w.csv", [])
    raw = path.read_bytes()
    assert raw == (",".join(WORKLIST_COLUMNS) + "\r\n").encode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf")
    item = WorkItem("list_1:x", "error", "list_1", None, "1", None, "Zoë Ørsted", None, None, "d")
    assert "Zoë Ørsted".encode() in write_worklist(path, [item]).read_bytes()


# ---------------------------------------------------------------------------------------------
# plain-text summary


def test_summary_text_has_status_counts_and_top_rules(failing):
    summary, _ = failing
    text = summary_text(summary)
    lines = text.splitlines()
    assert lines[0] == f"Annex A validation: {FAIL}"
    assert "Synthshire (999)" in lines[1] and "2026-03-31" in lines[1]
    assert "Blocking errors: 3; warnings: 1; waived records: 2; unmapped CMS values: 1" in text
    rules = [ln for ln in lines if ln.startswith("- [")]
    assert (
        rules[0] == "- [error] list_8:required:date_of_birth: 45 failing "
        "(records C1, C2, C3, C4, C5, ...)"
    )
    assert rules[-1] == "- [warning] list_2:code_in_list:gender: 2 failing (records E7, E9)"
    assert "- [error] cross:icpc_plan_in_list_7: could not run" in rules
    assert (
        "- [error] ssd_contacts:key_unique:cont_contact_id: 2 failing, 2 waived "
        "(records 901, 902)" in rules
    )


def test_summary_text_limit(failing):
    summary, _ = failing
    text = summary_text(summary, limit=2)
    assert len([ln for ln in text.splitlines() if ln.startswith("- [")]) == 2
    assert "... and 3 more failing rule(s)" in text


def test_summary_text_has_no_values_names_descriptions_or_reasons(failing):
    summary, _ = failing
    text = summary_text(summary)
    for value in [
        *SECRET_VALUES,
        "Mle",
        "Legacy merge",
        "Front door team",
        "<script",
        "Date of birth is filled in",
        "2026-06-30",
    ]:
        assert value not in text, value


def test_summary_text_clean_run():
    text = summary_text(_summary([_rule("list_1:columns_in_order", "error")]))
    assert text.splitlines()[0] == f"Annex A validation: {PASS}"
    assert "All checks passed." in text
