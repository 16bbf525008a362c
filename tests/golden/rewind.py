"""Rewind a CMS to what it held on a past date D, for the as-at leak test (annex_a.md §3.3, D3).

A record that starts after D did not exist on D: its row is deleted. An end (closure, authorisation,
ceased, ...) after D had not happened: the date is nulled with every value recorded because of it
(closure reason, NFA decision, ceased reason, ...). Other dates after D are nulled. What the SSD
holds only as a current value (categories, care-leaver status, names) cannot be rewound and is
left as it is: source_contract.md §7.2 lists those fields.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from annexa.source.contract import TABLES, metadata
from annexa.validate.suites import NOT_EVENTS

# table -> the date that brings the record into existence (row deleted when after D)
STARTS: dict[str, str] = {
    "ssd_immigration_status": "immi_immigration_status_start_date",
    "ssd_contacts": "cont_contact_date",
    "ssd_early_help_episodes": "earl_episode_start_date",
    "ssd_cin_episodes": "cine_referral_date",
    "ssd_cin_assessments": "cina_assessment_start_date",
    "ssd_cin_plans": "cinp_cin_plan_start_date",
    "ssd_cin_visits": "cinv_cin_visit_date",
    "ssd_s47_enquiry": "s47e_s47_start_date",
    "ssd_initial_cp_conference": "icpc_icpc_date",
    "ssd_cp_plans": "cppl_cp_plan_start_date",
    "ssd_cp_visits": "cppv_cp_visit_date",
    "ssd_cp_reviews": "cppr_cp_review_date",
    "ssd_cla_episodes": "clae_cla_episode_start_date",
    "ssd_legal_status": "lega_legal_status_start_date",
    "ssd_cla_placement": "clap_cla_placement_start_date",
    "ssd_cla_reviews": "clar_cla_review_date",
    "ssd_cla_visits": "clav_cla_visit_date",
    "ssd_cla_care_plan": "lacp_cla_care_plan_start_date",
    "ssd_cla_health": "clah_health_check_date",
    "ssd_missing": "miss_missing_episode_start_date",
    "ssd_permanence": "perm_adm_decision_date",
    "ssd_involvements": "invo_involvement_start_date",
    "ssd_adopters": "adop_enquiry_date",
}

# (table, date) -> the values that exist only because of that event, nulled with it
DEPENDENTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("ssd_cin_episodes", "cine_close_date"): ("cine_close_reason", "cine_referral_nfa"),
    ("ssd_cin_assessments", "cina_assessment_auth_date"): (
        "cina_assessment_outcome_nfa",
        "cina_assessment_outcome_json",
    ),
    ("ssd_s47_enquiry", "s47e_s47_end_date"): ("s47e_s47_nfa", "s47e_s47_outcome_json"),
    ("ssd_cla_episodes", "clae_cla_episode_ceased_date"): ("clae_cla_episode_ceased_reason",),
    ("ssd_missing", "miss_missing_episode_end_date"): (
        "miss_missing_rhi_offered",
        "miss_missing_rhi_accepted",
    ),
    ("ssd_permanence", "perm_decision_reversed_date"): ("perm_decision_reversed_reason",),
    ("ssd_permanence", "perm_permanence_order_date"): (
        "perm_permanence_order_type",
        "perm_adopted_by_carer_flag",
    ),
    ("ssd_adopters", "adop_left_process_date"): ("adop_left_process_reason",),
    ("ssd_adopters", "adop_placed_date"): ("adop_children_placed",),
}

# dates that are not events in time (a due date or an expected birth may lie after D): the
# same set the source suites exempt from the future-date rule
KEEP = NOT_EVENTS


def rewind(url: str, d: dt.date) -> dict[str, int]:
    """Rewind the CMS at ``url`` in place to date ``d``; returns rows deleted per table."""
    engine = sa.create_engine(url)
    tables = metadata().tables
    deleted: dict[str, int] = {}
    with engine.begin() as conn:
        for spec in TABLES:
            t = tables[spec.name]
            start = STARTS.get(spec.name)
            if start:
                deleted[spec.name] = conn.execute(t.delete().where(t.c[start] > d)).rowcount
            for col in spec.columns:
                if col.type not in ("date", "datetime") or col.name in KEEP or col.name == start:
                    continue
                cleared = {col.name: None}
                cleared |= {c: None for c in DEPENDENTS.get((spec.name, col.name), ())}
                conn.execute(t.update().where(t.c[col.name] > d).values(cleared))
    engine.dispose()
    return deleted
