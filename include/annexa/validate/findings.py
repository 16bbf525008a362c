"""The validation gate's vocabulary: rules, their results, and the per-record worklist.

Every check (a Great Expectations expectation on a list or a source table, or a cross-list rule)
is a *rule* with a stable id ``<target>:<family>[:<column>]`` (e.g. ``ssd_contacts:key_unique:
cont_contact_id``, ``list_8:required:date_of_birth``, ``cross:icpc_plan_in_list_7``) and a
severity: ``error`` blocks publishing, ``warning`` is published and listed. Its result holds
counts and record ids only (safe for logs, XCom and notifications). The *worklist* has one row
per failing record, with the offending value and the allocated team and worker, so that team
managers can fix records at source: it is written to owner-only files, never logged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SEVERITIES = ("error", "warning")

# rule families (the middle part of a rule id), by kind of target
SOURCE_FAMILIES = (
    "key_unique",
    "key_not_null",
    "not_empty",
    "date_parses",
    "id_leading_zeros",
    "no_overlap",
    "dob_agrees",
    "child_joins",
    "worker_joins",
    "team_joins",
    "placeholder_value",
    "future_date",
    "unmapped_code",
    "rendered_2019",
)
LIST_FAMILIES = (
    "columns_in_order",
    "row_key_unique",
    "required",
    "code_in_list",
    "date_in_range",
    "in_window",
    "date_order",
    "event_after_birth",
    "age_matches_dob",
    "integer_bounds",
)
# the cross-list families are the cross layer of sql/manifest.yaml (annexa.core.registry)


@dataclass
class RuleResult:
    id: str  # "<target>:<family>[:<column>]"
    target: str  # "list_8", "ssd_contacts" or "cross"
    family: str
    column: str | None
    severity: str  # error | warning
    description: str  # one plain-English sentence, no data
    success: bool
    unexpected_count: int = 0  # failing records, waived ones included
    waived_count: int = 0  # failing records covered by a live waiver
    sample_ids: list[str] = field(default_factory=list)  # up to 20 failing record ids
    failed_to_run: bool = False

    @property
    def blocking(self) -> bool:
        """An error with failing records not all waived (or one that could not run)."""
        return self.severity == "error" and (
            self.failed_to_run or self.unexpected_count > self.waived_count
        )

    def to_dict(self) -> dict:
        return asdict(self) | {"blocking": self.blocking}


@dataclass
class WorkItem:
    """One failing record of one rule (the CSV worklist row)."""

    rule: str  # rule id
    severity: str
    target: str  # list_N / ssd_table / cross
    column: str | None
    record_id: str  # the list's row key (_record_id) or the source table's key
    child_id: str | None  # the Child Unique ID / person id, when known
    value: str | None  # the offending value as text (may be personal data: files only)
    team: str | None  # allocated team, when known
    worker: str | None  # allocated worker, when known
    description: str
    waived: bool = False
    waiver_reason: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


WORKLIST_COLUMNS = [
    "severity",
    "rule",
    "description",
    "target",
    "column",
    "record_id",
    "child_id",
    "value",
    "team",
    "worker",
    "waived",
    "waiver_reason",
]
