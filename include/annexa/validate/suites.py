"""Expectation suites, generated from the reference data into ``expectations/`` (issue 4.1).

One Great Expectations suite per output list (``annex_a_list_NN_<name>.json``) and per source
table (``ssd_<table>.json``), committed so that every rule can be read and reviewed. They are
*generated* from the same reference data the SQL uses (lists.yaml, codes.yaml, the source
contract): code sets are written as ``{"$codes": "CS-ETH"}`` and run-time bounds as
``{"$day": "as_at"}``, resolved when a run loads the suite (``resolve``), so a code list lives
once. ``annexa suites --check`` (and a unit test) fail when a committed suite is out of date;
``annexa suites --write`` regenerates them.

Every expectation's ``meta`` carries the rule id (``<target>:<family>[:<column>]``), its
severity (error blocks publishing; warning is published and listed) and a one-line description.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from annexa import reference
from annexa.core.dates import Windows, add_months
from annexa.core.paths import expectations_dir, sql_dir
from annexa.core.registry import list_number, manifest
from annexa.source.contract import TABLES, Table

ID_COLUMN = "_record_id"
EPOCH = dt.date(1970, 1, 1)
MIN_DATE = dt.date(1900, 1, 2)

# dates that are not events: an expected birth or a due/target date may lie in the future
NOT_EVENTS = {
    "pers_dob",
    "pers_expected_dob",
    "icpc_icpc_target_date",
    "cppr_cp_review_due",
    "clar_cla_review_due_date",
}

# (start, end) column pairs whose order each list checks (end on or after start)
DATE_ORDER: dict[int, list[tuple[str, str]]] = {
    2: [("assessment_start_date", "assessment_completion_date")],
    4: [("assessment_start_date", "assessment_authorisation_date")],
    5: [("s47_start_date", "icpc_date")],
    6: [("cin_start_date", "cin_closure_date")],
    7: [("cp_plan_start_date", "cp_plan_end_date")],
    8: [
        ("date_started_looked_after", "date_ceased_looked_after"),
        ("date_started_looked_after", "placement_start_date"),
    ],
    10: [
        ("date_decision_placed_for_adoption", "date_placed_for_adoption"),
        ("date_decision_placed_for_adoption", "date_adoption_order"),
    ],
}

# dates that, when present, must fall inside the list's window (W6): the event that puts a row
# in scope (a contact, a referral) or the end of a record that must be open in W6
IN_WINDOW: dict[int, list[str]] = {
    1: ["date_of_contact"],
    2: ["assessment_completion_date"],
    3: ["date_of_referral"],
    4: ["assessment_authorisation_date"],
    6: ["cin_closure_date"],
    7: ["cp_plan_end_date"],
    8: ["date_ceased_looked_after"],
}

# the event each child list dates, checked against the date of birth; an error where the child
# must be born (a child in care), a warning elsewhere (contacts and referrals about an unborn
# child predate its birth)
EVENT_AFTER_BIRTH: dict[int, tuple[str, str]] = {
    1: ("date_of_contact", "warning"),
    2: ("assessment_start_date", "warning"),
    3: ("date_of_referral", "warning"),
    4: ("assessment_start_date", "warning"),
    5: ("s47_start_date", "warning"),
    6: ("cin_start_date", "warning"),
    7: ("cp_plan_start_date", "warning"),
    8: ("date_started_looked_after", "error"),
    10: ("date_entered_care", "error"),
}


# (group column, start, end): one child's CLA episodes, one period's placements and one child's
# CP plans do not overlap (issue 14): a child is in one period, one placement, one plan at a time
NO_OVERLAP: dict[str, tuple[str, str, str]] = {
    "ssd_cla_episodes": (
        "clae_person_id",
        "clae_cla_episode_start_date",
        "clae_cla_episode_ceased_date",
    ),
    "ssd_cla_placement": (
        "clap_cla_id",
        "clap_cla_placement_start_date",
        "clap_cla_placement_end_date",
    ),
    "ssd_cp_plans": ("cppl_person_id", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),
}

# required columns whose blank is a true fact to show, not a wrong return: the cell stays blank,
# the row is published and the gap is a warning on the worklist (issue 14; docs/validation.md)
BLANK_IS_WARNING: dict[str, str] = {
    "allocated_team": "unallocated work is an inspection finding to show (annex_a D26)",
    "allocated_worker": "unallocated work is an inspection finding to show (annex_a D26)",
    "allocated_personal_advisor": "no personal adviser is a practice finding (annex_a D23)",
    "referral_nfa": "a missing flag or a decision not yet known at the as-at date (annex_a D15)",
    "la_of_placement": "a postcode outside the lookup leaves the LA unknown, not wrong",
    "list_11:disability": "an adopter's disability unknown: blank and reported (annex_a D25)",
}
# list-level severity of the date_order family: source_contract §10 ("warning for end < start")
# and indicators §6.2 (the record stays in the denominator and is reported)
DATE_ORDER_SEVERITY = "warning"


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01: GX compares these reliably, whatever pandas' datetime unit."""
    return (d - EPOCH).days


def _exp(kind: str, rule: str, severity: str, description: str, **kwargs) -> dict:
    return {
        "type": f"expect_{kind}",
        "kwargs": kwargs,
        "meta": {"rule": rule, "severity": severity, "description": description},
    }


def list_suite_name(number: int) -> str:
    for model in manifest().get("annex_a") or []:
        if list_number(model) == number:
            return model
    raise KeyError(f"no SQL model for list {number}")


def list_suite(number: int) -> dict:
    """The suite of one list. Columns come from the later revision's contract; the code sets of
    the run's version are resolved at run time (``$codes``), and the column list too
    (``$columns``), so one suite serves both revisions."""
    spec = reference.list_spec(number, "later")
    t = f"list_{number}"
    cols = {c.key: c for c in spec.columns}
    out = [
        _exp(
            "table_columns_to_match_ordered_list",
            f"{t}:columns_in_order",
            "error",
            "the list has exactly the spec's columns, in order",
            column_list={"$columns": number},
        )
    ]
    out.append(
        _exp(
            "column_values_to_be_unique",
            f"{t}:row_key_unique:{ID_COLUMN}",
            "error",
            f"one row per {spec.grain.removeprefix('one row per ')}",
            column=ID_COLUMN,
        )
    )
    for c in spec.columns:
        if c.required:
            out.append(
                _exp(
                    "column_values_to_not_be_null",
                    f"{t}:required:{c.key}",
                    "warning" if {c.key, f"{t}:{c.key}"} & BLANK_IS_WARNING.keys() else "error",
                    f"'{c.header.strip()}' must hold a value",
                    column=c.key,
                )
            )
        if c.type == "code" and c.codes:
            out.append(
                _exp(
                    "column_values_to_be_in_set",
                    f"{t}:code_in_list:{c.key}",
                    "error",
                    f"'{c.header.strip()}' is one of {c.codes}'s exact strings",
                    column=c.key,
                    value_set={"$codes": c.codes},
                )
            )
        if c.type == "date":
            latest = "as_at+10m" if c.key == "date_of_birth" else "as_at"
            out.append(
                _exp(
                    "column_values_to_be_between",
                    f"{t}:date_in_range:{c.key}",
                    "error",
                    f"'{c.header.strip()}' is a real date, not after the as-at date"
                    + (
                        " (an unborn child's expected date: 10 months)" if latest != "as_at" else ""
                    ),
                    column=c.key,
                    min_value={"$day": "min_date"},
                    max_value={"$day": latest},
                )
            )
        if c.type == "integer" and (c.min is not None or c.max is not None):
            out.append(
                _exp(
                    "column_values_to_be_between",
                    f"{t}:integer_bounds:{c.key}",
                    "error",
                    f"'{c.header.strip()}' is a whole number from {c.min}"
                    + (f" to {c.max}" if c.max is not None else " up"),
                    column=c.key,
                    min_value=c.min,
                    max_value=c.max,
                )
            )
    for start, end in DATE_ORDER.get(number, []):
        if start in cols and end in cols:
            out.append(
                _exp(
                    "column_pair_values_a_to_be_greater_than_b",
                    f"{t}:date_order:{end}",
                    DATE_ORDER_SEVERITY,
                    f"'{cols[end].header.strip()}' is on or after '{cols[start].header.strip()}'",
                    column_A=end,
                    column_B=start,
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                )
            )
    for key in IN_WINDOW.get(number, []):
        if key in cols:
            out.append(
                _exp(
                    "column_values_to_be_between",
                    f"{t}:in_window:{key}",
                    "error",
                    f"'{cols[key].header.strip()}' is inside the 6-month window "
                    "(on or after its first day)",
                    column=key,
                    min_value={"$day": "w6_start"},
                )
            )
    if number in EVENT_AFTER_BIRTH and "date_of_birth" in cols:
        event, severity = EVENT_AFTER_BIRTH[number]
        out.append(
            _exp(
                "column_pair_values_a_to_be_greater_than_b",
                f"{t}:event_after_birth:{event}",
                severity,
                f"'{cols[event].header.strip()}' is on or after the date of birth",
                column_A=event,
                column_B="date_of_birth",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            )
        )
    if "age" in cols and "date_of_birth" in cols:
        out.append(
            _exp(
                "column_pair_values_to_be_equal",
                f"{t}:age_matches_dob:age",
                "error",
                "the age is the completed years from the date of birth to the as-at "
                "date (-1 for an unborn child)",
                column_A="age",
                column_B="_age_from_dob",
                ignore_row_if="either_value_is_missing",
            )
        )
    return {
        "name": list_suite_name(number),
        "meta": {"target": t, "kind": "list", "generated_from": "lists.yaml, codes.yaml"},
        "expectations": out,
    }


def source_suite(table: Table) -> dict:
    """The suite of one SSD table, run on its check frame (``sql/checks/<table>.sql``)."""
    t = table.name
    out = [
        _exp(
            "column_values_to_not_be_null",
            f"{t}:key_not_null:{table.key}",
            "error",
            f"every row has its key {table.key}",
            column="_raw_key",
        ),
        _exp(
            "column_values_to_be_unique",
            f"{t}:key_unique:{table.key}",
            "error",
            f"{table.key} identifies one row",
            column="_raw_key",
        ),
    ]
    person = person_column(table)
    if person:
        out.append(
            _exp(
                "column_values_to_be_in_set",
                f"{t}:child_joins:{person}",
                "warning",
                f"{person} is a person in ssd_person (else the record is left out of every list)",
                column=f"_joins__{person}",
                value_set=[True],
            )
        )
        out.append(
            _exp(
                "column_values_to_be_in_set",
                f"{t}:id_leading_zeros:{person}",
                "error",
                f"{person} joins ssd_person only with leading zeros restored: the id was "
                "stored as a number somewhere and the record is lost from the lists",
                column=f"_zeros__{person}",
                value_set=[True],
            )
        )
    if table.name in NO_OVERLAP:
        group, start, end = NO_OVERLAP[table.name]
        out.append(
            _exp(
                "column_values_to_be_in_set",
                f"{t}:no_overlap:{start}",
                "error",
                f"no two rows of one {group} overlap ({start} to {end})",
                column="_no_overlap",
                value_set=[True],
            )
        )
    if table.name == "ssd_person":
        out.append(
            _exp(
                "column_values_to_be_in_set",
                f"{t}:dob_agrees:pers_dob",
                "error",
                "a person has one date of birth (the lists would choose between them)",
                column="_one_dob",
                value_set=[True],
            )
        )
    for col, target in join_columns(table):
        family = "team_joins" if target == "team" else "worker_joins"
        out.append(
            _exp(
                "column_values_to_be_in_set",
                f"{t}:{family}:{col}",
                "warning",
                f"{col} names a known {'team' if target == 'team' else 'worker'}",
                column=f"_joins__{col}",
                value_set=[True],
            )
        )
    for c in table.columns:
        severity = "warning"  # source_contract §10: placeholders and future events warn
        if c.type == "date":
            out.append(
                _exp(
                    "column_values_to_be_in_set",
                    f"{t}:date_parses:{c.name}",
                    "error",  # source_contract §10: "error for unparseable"
                    f"{c.name} held a date the extract could read (not text such as 'unknown')",
                    column=f"_parses__{c.name}",
                    value_set=[True],
                )
            )
            out.append(
                _exp(
                    "column_values_to_be_between",
                    f"{t}:placeholder_value:{c.name}",
                    severity,
                    f"{c.name} is not a placeholder date (before 1901)",
                    column=c.name,
                    min_value={"$day": "placeholder_before"},
                )
            )
            if c.name not in NOT_EVENTS:
                out.append(
                    _exp(
                        "column_values_to_be_between",
                        f"{t}:future_date:{c.name}",
                        severity,
                        f"{c.name} is not after the day the data was extracted",
                        column=c.name,
                        max_value={"$day": "extracted_on"},
                    )
                )
        elif c.type in ("id", "code") and c.name != table.key:
            out.append(
                _exp(
                    "column_values_to_not_be_in_set",
                    f"{t}:placeholder_value:{c.name}",
                    severity,
                    f"{c.name} is not a placeholder value (e.g. 'SSD_PH')",
                    column=f"_text__{c.name}",
                    value_set={"$placeholders": True},
                )
            )
    return {
        "name": t,
        "meta": {"target": t, "kind": "source", "generated_from": "source contract"},
        "expectations": out,
    }


def person_column(table: Table) -> str | None:
    """The column naming the child (person id), if the table has one."""
    if table.name == "ssd_person":
        return None
    for c in table.columns:
        if c.name.endswith("_person_id"):
            return c.name
    return None


# worker and team fields whose ids should join ssd_professionals / ssd_department
_JOIN_FIELDS = {
    "ssd_cin_episodes": [("cine_referral_team", "team")],
    "ssd_cin_assessments": [("cina_assessment_team", "team")],
    "ssd_cin_plans": [("cinp_cin_plan_team", "team")],
    "ssd_s47_enquiry": [("s47e_s47_completed_by_team", "team")],
    "ssd_involvements": [("invo_professional_id", "worker"), ("invo_professional_team", "team")],
    "ssd_care_leavers": [
        ("clea_care_leaver_allocated_team", "team"),
        ("clea_care_leaver_worker_id", "worker"),
    ],
}


def join_columns(table: Table) -> list[tuple[str, str]]:
    names = set(table.column_names)
    return [(c, k) for c, k in _JOIN_FIELDS.get(table.name, []) if c in names]


def all_suites() -> dict[str, dict]:
    suites = {}
    for model in manifest().get("annex_a") or []:
        s = list_suite(list_number(model))
        suites[s["name"]] = s
    for table in TABLES:
        suites[table.name] = source_suite(table)
    return suites


def render(suite: dict) -> str:
    return json.dumps(suite, indent=2, ensure_ascii=False) + "\n"


def write_suites(folder: Path | None = None, checks: Path | None = None) -> list[Path]:
    """Write every suite, and the check frames the source suites run on (``sql/checks/``)."""
    folder = folder or expectations_dir()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, suite in all_suites().items():
        p = folder / f"{name}.json"
        p.write_text(render(suite), encoding="utf-8")
        paths.append(p)
    return paths + write_check_frames_sql(checks)


def stale_suites(folder: Path | None = None, checks: Path | None = None) -> list[str]:
    """Names of suites whose committed file differs from what the reference data generates,
    then ``sql/checks/<table>.sql`` for each stale check frame."""
    folder = folder or expectations_dir()
    return [
        name
        for name, suite in all_suites().items()
        if not (folder / f"{name}.json").is_file()
        or (folder / f"{name}.json").read_text(encoding="utf-8") != render(suite)
    ] + [f"sql/checks/{t}.sql" for t in stale_check_frames(checks)]


def load_suite(name: str) -> dict:
    path = expectations_dir() / f"{name}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no expectation suite {path}; run `annexa suites --write`")
    return json.loads(path.read_text(encoding="utf-8"))


def resolve(
    value,
    *,
    version: str,
    windows: Windows,
    extracted_on: dt.date,
    placeholders: list[str],
    placeholder_before: dt.date,
):
    """Replace the suite's ``$`` references with this run's values."""
    if isinstance(value, list):
        return [
            resolve(
                v,
                version=version,
                windows=windows,
                extracted_on=extracted_on,
                placeholders=placeholders,
                placeholder_before=placeholder_before,
            )
            for v in value
        ]
    if not isinstance(value, dict):
        return value
    if "$codes" in value:
        return reference.code_strings(value["$codes"], version)
    if "$columns" in value:
        return None  # filled by the caller (needs the frame's hidden columns)
    if "$placeholders" in value:
        return placeholders
    if "$day" in value:
        days = {
            "as_at": windows.as_at,
            "as_at+10m": add_months(windows.as_at, 10),
            "w6_start": windows.w6_start,
            "min_date": MIN_DATE,
            "extracted_on": extracted_on,
            "placeholder_before": placeholder_before,
        }
        return day_number(days[value["$day"]])
    return {
        k: resolve(
            v,
            version=version,
            windows=windows,
            extracted_on=extracted_on,
            placeholders=placeholders,
            placeholder_before=placeholder_before,
        )
        for k, v in value.items()
    }


# --- check frames: the SQL each source suite runs on, generated into sql/checks/ --------------

_CHECK_HEADER = """\
-- Check frame of {t}, validated by its suite expectations/{t}.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per {t} row. The key ('(no key) person <id>' when missing; _raw_key as
-- held); whether the person, worker and team ids join (_joins__<col>, which no single-table
-- expectation can see) and a person id would with its leading zeros (_zeros__<col>); every date
-- as a day number and whether it parsed at extraction (_parses__<col>); id and code columns
-- normalised for the placeholder check (_text__<col>); overlaps and dates of birth (issue 14).
"""


def _joins(col: str, when_null: str, known: str, known_col: str) -> list[str]:
    return [
        "    case",
        f"        when clean_text({col}) is null then {when_null}",
        f"        else clean_text({col}) in (select {known_col} from {known})",
        f"    end as _joins__{col}",
    ]


def _overlap(table: Table) -> list[str]:
    group, start, end = NO_OVERLAP[table.name]
    far = "date '9999-12-31'"
    return [
        "    not exists (",
        f"        select 1 from raw_{table.name} as o",
        "        where",
        f"            clean_text(o.{group}) = clean_text(_t.{group})",
        f"            and cast(o.{table.key} as varchar)",
        f"            is distinct from cast(_t.{table.key} as varchar)",
        f"            and o.{start} < coalesce(_t.{end}, {far})",
        f"            and _t.{start} < coalesce(o.{end}, {far})",
        f"            and coalesce(o.{end}, {far}) >= o.{start}",
        f"            and coalesce(_t.{end}, {far}) >= _t.{start}",
        "    ) as _no_overlap",
    ]


def check_frame_sql(table: Table) -> str:
    """The ``sql/checks/<table>.sql`` the suite of ``table`` runs on (one select over
    ``raw_<table>``; identifiers only from the contract)."""
    person = person_column(table)
    who = f"'person ' || clean_text({person})" if person else "null"
    one_dob = table.name == "ssd_person"
    # numbered in the raw scan (a subquery where the frame joins, so the join's order is not
    # the numbering's)
    row = "_t._z_row" if person or one_dob else "row_number() over ()"
    items = [
        [
            "    coalesce(",
            f"        cast(_t.{table.key} as varchar),",
            f"        '(no key) ' || coalesce({who},",
            f"        'row ' || cast({row} as varchar))",
            f"    ) as {table.key}",
        ],
        [f"    cast(_t.{table.key} as varchar) as _raw_key"],
    ]
    if person:
        optional = table.column(person).need == "O"
        items.append(  # the person id joined once below (_z_k), not one more IN per frame
            [
                "    case",
                f"        when _t._z_p is null then {str(optional).lower()}",
                "        else _z_k.person_id is not null",
                f"    end as _joins__{person}",
            ]
        )
        items.append([f"    clean_text({person}) as _child_id"])
        # two left joins on unique keys (no row added or lost) instead of two more IN
        # subqueries, each a hash table of every known person per frame (issue 10)
        items.append(
            [
                "    case",
                "        when _t._z_p is null or not regexp_full_match(_t._z_p, '[0-9]+')",
                "            then true",
                "        when _z_k.person_id is not null then true",
                "        else _z_u.id is null",
                f"    end as _zeros__{person}",
            ]
        )
    else:
        items.append(["    cast(null as varchar) as _child_id"])
    for col, kind in join_columns(table):
        known = "chk_known_teams" if kind == "team" else "chk_known_workers"
        items.append(_joins(col, "true", known, "id"))
    for c in table.columns:
        if c.type == "date":
            day = f"cast(cast({c.name} as date) - date '1970-01-01' as integer) as {c.name}"
            if len(day) + 5 <= 100:
                items.append([f"    {day}"])
            else:
                items.append(
                    [
                        "    cast(",
                        f"        cast({c.name} as date) - date '1970-01-01' as integer",
                        f"    ) as {c.name}",
                    ]
                )
            items.append(
                [
                    f"    coalesce(cast(_t.{table.key} as varchar) not in (",
                    "        select u.id from raw_unparseable_dates as u",
                    f"        where u.tbl = '{table.name}' and u.col = '{c.name}'",
                    f"    ), true) as _parses__{c.name}",
                ]
            )
        elif c.type in ("id", "code") and c.name != table.key:
            items.append([f"    lower(trim(cast({c.name} as varchar))) as _text__{c.name}"])
    if table.name in NO_OVERLAP:
        items.append(_overlap(table))
    if one_dob:  # the ids with two dates of birth, found once below (_z_d)
        items.append(["    _z_d._z_two is null as _one_dob"])
    lines = []
    for i, item in enumerate(items):
        lines += item[:-1] + [item[-1] + ("," if i < len(items) - 1 else "")]
    body = "\n".join(lines)
    # the overlap's correlated subquery, the dates-of-birth window and the person joins do not
    # keep the scan's order (DuckDB joins in parallel): sorted by the key, or back into the
    # table's own order, so the frame (and the sample ids the gate reports from it) is the same
    # from run to run, and in a backfill the same as the month built alone
    if table.name in NO_OVERLAP or one_dob:
        order = "order by 1\n"
    elif person:
        order = "order by _t._z_row\n"
    else:
        order = ""
    source = f"raw_{table.name} as _t"
    if person:  # the person id cleaned once, its known and leading-zero matches joined
        source = (
            f"(select *, clean_text({person}) as _z_p, row_number() over () as _z_row\n"
            f"from raw_{table.name}) as _t\n"
            "left join chk_known_persons as _z_k on _z_k.person_id = _t._z_p\n"
            "left join chk_known_persons_unzeroed as _z_u on _z_u.id = ltrim(_t._z_p, '0')"
        )
    if one_dob:  # a group by and a join on the few such ids, not a window of count(distinct)
        # partitioned by every person (issue 10: 1.35 s of CPU at large); two distinct dates
        # are a smaller and a larger one (nulls left out by both); null ids are one group, as
        # they were one partition
        source = (
            f"(select *, row_number() over () as _z_row from raw_{table.name}) as _t\n"
            "left join (\n"
            "    select clean_text(pers_person_id) as _z_id, true as _z_two\n"
            f"    from raw_{table.name}\n"
            "    group by 1\n"
            "    having min(pers_dob) < max(pers_dob)\n"
            ") as _z_d on _z_d._z_id is not distinct from clean_text(_t.pers_person_id)"
        )
    return f"{_CHECK_HEADER.format(t=table.name)}select\n{body}\nfrom {source}\n{order}"


def stale_check_frames(folder: Path | None = None) -> list[str]:
    """SSD tables whose committed ``sql/checks/<table>.sql`` differs from the generated one."""
    folder = folder or sql_dir() / "checks"
    return [
        t.name
        for t in TABLES
        if not (folder / f"{t.name}.sql").is_file()
        or (folder / f"{t.name}.sql").read_text() != check_frame_sql(t)
    ]


def write_check_frames_sql(folder: Path | None = None) -> list[Path]:
    folder = folder or sql_dir() / "checks"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for t in TABLES:
        p = folder / f"{t.name}.sql"
        p.write_text(check_frame_sql(t))
        paths.append(p)
    return paths
