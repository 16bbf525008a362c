"""Lines of enquiry (issue 5.4): the drill-down tables an analyst would otherwise write by hand.

Each ``sql/drilldowns/<id>_*.sql`` is one ``select`` run on a connection after
``annexa.transform.runner.run_models`` (staging, intermediate and list tables, macros). It returns
child-level (or, for caseloads, worker-level) rows with readable column names. ``run_drilldowns``
runs them all and returns the shape the pack renderer takes:
``{"id", "title", "question", "note", "columns": [...], "rows": [[...]]}``, dates as ISO strings.

The contacts drill-down (DD09) reads two DuckDB variables, set here from the arguments:
``drill_source`` (None = every source) and ``drill_limit`` (default 50).
"""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import duckdb

from annexa.core.paths import sql_dir

DRILLDOWNS: list[dict] = [
    {
        "id": "DD01",
        "file": "dd01_assessments_open_45wd.sql",
        "title": "Assessments open beyond 45 working days",
        "question": "Which assessments are still open at the as-at date more than 45 working "
        "days after they started, and who holds them?",
        "note": "List 4 rows with no authorisation date by the as-at date; working days from the "
        "assessment start (day 0), Monday to Friday excluding England and Wales bank "
        "holidays (HP05).",
    },
    {
        "id": "DD02",
        "file": "dd02_icpc_outside_15wd.sql",
        "title": "ICPCs outside 15 working days",
        "question": "Which initial child protection conferences were held more than 15 working "
        "days after the strategy discussion, and which open section 47 enquiries "
        "have passed 15 working days with no conference or decision?",
        "note": "List 5: ICPCs held in the 6 months to the as-at date (as HP09), plus enquiries "
        "with no ICPC date and no 'ICPC unnecessary' decision. An ICPC dated before its "
        "S47 start is shown as a data error.",
    },
    {
        "id": "DD03",
        "file": "dd03_cp_plans_long_and_repeat.sql",
        "title": "CP plans open 18 months or more, and repeat plans",
        "question": "Which children have been on a child protection plan for 18 months or more "
        "(and 2 years or more), and which are on a second or subsequent plan?",
        "note": "List 7 (each child's latest plan). 18 months and 2 years are calendar months "
        "from the start, clamped to the month end. Previous plans are counted within "
        "the CMS history only.",
    },
    {
        "id": "DD04",
        "file": "dd04_placements_3plus.sql",
        "title": "Children in care with 3 or more placements in 12 months",
        "question": "Which children looked after at the as-at date have had three or more "
        "placements in the last 12 months?",
        "note": "List 8 column 'Number of Placements in the Last 12 months' (a change of carer; "
        "CIC02).",
    },
    {
        "id": "DD05",
        "file": "dd05_missing_no_return_interview.sql",
        "title": "Missing episodes without a return interview",
        "question": "Which missing episodes in the last 12 months were not followed by a return "
        "interview that was offered and accepted?",
        "note": "Every missing (not absent) episode of a List 8 child in the 12 months to the "
        "as-at date within the current period of care, from the CMS; List 8 itself "
        "shows only the last episode's interview.",
    },
    {
        "id": "DD06",
        "file": "dd06_care_leavers_not_in_touch_unsuitable.sql",
        "title": "Care leavers not in touch or in unsuitable accommodation",
        "question": "Which care leavers is the LA not in touch with, and which live in "
        "unsuitable accommodation?",
        "note": "List 9, all ages: 'LA in Touch' other than a) Yes (including blank), or "
        "'Suitability of Accommodation' = b) Unsuitable (CL01, CL03).",
    },
    {
        "id": "DD07",
        "file": "dd07_caseloads_by_worker.sql",
        "title": "Caseloads by worker and team",
        "question": "How many open cases does each allocated worker hold, and how big is each "
        "team's caseload?",
        "note": "Open at the as-at date on Lists 6 (not closed), 7 (plan not ended), 8 (looked "
        "after) and 9, as WF05/WF08. 'Children' counts distinct children per worker.",
    },
    {
        "id": "DD08",
        "file": "dd08_unallocated_cases.sql",
        "title": "Unallocated open cases",
        "question": "Which children with an open case have no allocated worker?",
        "note": "Open rows on Lists 6-9 with a blank 'Allocated Worker' (WF09).",
    },
    {
        "id": "DD10",
        "file": "dd10_unallocated_by_team.sql",
        "title": "Unallocated open cases by team",
        "question": "Which teams hold open cases with no allocated worker, and how many on "
        "each list?",
        "note": "DD08's rows counted by 'Allocated Team' ('(no team)' when blank too); the "
        "validation worklist names each record (rule required:allocated_worker, a warning).",
    },
    {
        "id": "DD09",
        "file": "dd09_contacts_by_source.sql",
        "title": "Latest contacts from a source",
        "question": "What were the latest contacts from a given source (e.g. the out-of-hours "
        "service), and which children were they about?",
        "note": "List 1 (6 months to the as-at date), latest first. The source matches the "
        "national code (e.g. 5A), the Annex A string, the CMS source code or part of "
        "the CMS source description.",
    },
]


class DrilldownError(RuntimeError):
    """A drill-down's SQL failed."""


def _cell(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def run_drilldown(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[list[str], list[list]]:
    """Run one drill-down file; returns (column names, rows with JSON-friendly cells)."""
    try:
        rel = con.sql(path.read_text())
        columns = list(rel.columns)
        rows = [[_cell(v) for v in r] for r in rel.fetchall()]
    except duckdb.Error as exc:
        raise DrilldownError(f"drill-down {path.name} failed: {exc}") from exc
    return columns, rows


def run_drilldowns(
    con: duckdb.DuckDBPyConnection, source: str | None = None, limit: int = 50
) -> list[dict]:
    """Every drill-down in ``DRILLDOWNS`` order; ``source``/``limit`` parameterise DD09."""
    con.execute("set variable drill_source = ?", [source])
    con.execute("set variable drill_limit = ?", [int(limit)])
    try:
        out = []
        for meta in DRILLDOWNS:
            columns, rows = run_drilldown(con, sql_dir() / "drilldowns" / meta["file"])
            out.append(
                {
                    "id": meta["id"],
                    "title": meta["title"],
                    "question": meta["question"],
                    "note": meta["note"],
                    "columns": columns,
                    "rows": rows,
                }
            )
        return out
    finally:
        con.execute("reset variable drill_source")
        con.execute("reset variable drill_limit")
