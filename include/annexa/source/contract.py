"""The source contract: the SSD tables and fields the product reads (source_contract.md §4, §8).

One home for table and column names, logical types and need (R required, O optional, R* one of a
pair). The synthetic CMS writes these tables, the extract reads and checks them, and the staging
SQL selects from them. Nothing else should spell out SSD column lists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # id | date | flag | code | text | int | float | json
    need: str = "R"  # R | O | R*


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")


def _t(name: str, key: str, *cols: tuple[str, str] | tuple[str, str, str]) -> Table:
    return Table(name, key, tuple(Column(*c) for c in cols))


TABLES: tuple[Table, ...] = (
    _t(
        "ssd_person",
        "pers_person_id",
        ("pers_person_id", "id"),
        ("pers_legacy_id", "id", "O"),
        ("pers_sex", "code", "O"),
        ("pers_gender", "code"),
        ("pers_ethnicity", "code"),
        ("pers_dob", "date"),
        ("pers_expected_dob", "date", "O"),
        ("pers_death_date", "date", "O"),
    ),
    _t(
        "ssd_disability",
        "disa_table_id",
        ("disa_table_id", "id"),
        ("disa_person_id", "id"),
        ("disa_disability_code", "code"),
    ),
    _t(
        "ssd_immigration_status",
        "immi_immigration_status_id",
        ("immi_immigration_status_id", "id"),
        ("immi_person_id", "id"),
        ("immi_immigration_status", "code"),
        ("immi_immigration_status_start_date", "date"),
        ("immi_immigration_status_end_date", "date"),
    ),
    _t(
        "ssd_contacts",
        "cont_contact_id",
        ("cont_contact_id", "id"),
        ("cont_person_id", "id"),
        ("cont_contact_date", "date"),
        ("cont_contact_source_code", "code", "R*"),
        ("cont_contact_source_desc", "text", "R*"),
    ),
    _t(
        "ssd_early_help_episodes",
        "earl_episode_id",
        ("earl_episode_id", "id"),
        ("earl_person_id", "id"),
        ("earl_episode_start_date", "date"),
        ("earl_episode_end_date", "date"),
        ("earl_episode_organisation", "text"),
        ("earl_episode_worker_id", "id", "O"),
    ),
    _t(
        "ssd_cin_episodes",
        "cine_referral_id",
        ("cine_referral_id", "id"),
        ("cine_person_id", "id"),
        ("cine_referral_date", "date"),
        ("cine_referral_source_code", "code", "R*"),
        ("cine_referral_source_desc", "text", "R*"),
        ("cine_referral_nfa", "flag"),
        ("cine_cin_primary_need_code", "code"),
        ("cine_close_date", "date"),
        ("cine_close_reason", "code"),
        ("cine_referral_team", "id"),
        ("cine_referral_worker_id", "id"),
    ),
    _t(
        "ssd_cin_assessments",
        "cina_assessment_id",
        ("cina_assessment_id", "id"),
        ("cina_person_id", "id"),
        ("cina_referral_id", "id"),
        ("cina_assessment_start_date", "date"),
        ("cina_assessment_child_seen", "flag"),
        ("cina_assessment_auth_date", "date"),
        ("cina_assessment_outcome_nfa", "flag"),
        ("cina_assessment_outcome_json", "json", "O"),
        ("cina_assessment_team", "id"),
        ("cina_assessment_worker_id", "id"),
    ),
    _t(
        "ssd_cin_plans",
        "cinp_cin_plan_id",
        ("cinp_cin_plan_id", "id"),
        ("cinp_referral_id", "id"),
        ("cinp_person_id", "id"),
        ("cinp_cin_plan_start_date", "date"),
        ("cinp_cin_plan_end_date", "date"),
        ("cinp_cin_plan_team", "id", "O"),
        ("cinp_cin_plan_worker_id", "id", "O"),
    ),
    _t(
        "ssd_cin_visits",
        "cinv_cin_visit_id",
        ("cinv_cin_visit_id", "id"),
        ("cinv_person_id", "id", "R*"),
        ("cinv_cin_plan_id", "id", "R*"),
        ("cinv_cin_visit_date", "date"),
        ("cinv_cin_visit_seen", "flag"),
        ("cinv_cin_visit_seen_alone", "flag", "O"),
    ),
    _t(
        "ssd_s47_enquiry",
        "s47e_s47_enquiry_id",
        ("s47e_s47_enquiry_id", "id"),
        ("s47e_referral_id", "id"),
        ("s47e_person_id", "id"),
        ("s47e_s47_start_date", "date"),
        ("s47e_s47_end_date", "date"),
        ("s47e_s47_nfa", "flag"),
        ("s47e_s47_outcome_json", "json", "O"),
        ("s47e_s47_completed_by_team", "id"),
        ("s47e_s47_completed_by_worker_id", "id"),
    ),
    _t(
        "ssd_initial_cp_conference",
        "icpc_icpc_id",
        ("icpc_icpc_id", "id"),
        ("icpc_s47_enquiry_id", "id"),
        ("icpc_person_id", "id"),
        ("icpc_referral_id", "id", "O"),
        ("icpc_cp_plan_id", "id", "O"),
        ("icpc_icpc_transfer_in", "flag", "O"),
        ("icpc_icpc_target_date", "date", "O"),
        ("icpc_icpc_date", "date"),
        ("icpc_icpc_outcome_cp_flag", "flag"),
        ("icpc_icpc_outcome_json", "json", "O"),
    ),
    _t(
        "ssd_cp_plans",
        "cppl_cp_plan_id",
        ("cppl_cp_plan_id", "id"),
        ("cppl_referral_id", "id", "O"),
        ("cppl_icpc_id", "id", "O"),
        ("cppl_person_id", "id"),
        ("cppl_cp_plan_start_date", "date"),
        ("cppl_cp_plan_end_date", "date"),
        ("cppl_cp_plan_ola", "flag", "O"),
        ("cppl_cp_plan_initial_category", "code"),
        ("cppl_cp_plan_latest_category", "code"),
    ),
    _t(
        "ssd_cp_visits",
        "cppv_cp_visit_id",
        ("cppv_cp_visit_id", "id"),
        ("cppv_person_id", "id", "O"),
        ("cppv_cp_plan_id", "id"),
        ("cppv_cp_visit_date", "date"),
        ("cppv_cp_visit_seen", "flag"),
        ("cppv_cp_visit_seen_alone", "flag"),
    ),
    _t(
        "ssd_cp_reviews",
        "cppr_cp_review_id",
        ("cppr_cp_review_id", "id"),
        ("cppr_person_id", "id", "O"),
        ("cppr_cp_plan_id", "id"),
        ("cppr_cp_review_due", "date", "O"),
        ("cppr_cp_review_date", "date"),
    ),
    _t(
        "ssd_cla_episodes",
        "clae_cla_episode_id",
        ("clae_cla_episode_id", "id"),
        ("clae_person_id", "id"),
        ("clae_cla_id", "id"),
        ("clae_cla_placement_id", "id", "O"),
        ("clae_cla_episode_start_date", "date"),
        ("clae_cla_episode_start_reason", "code"),
        ("clae_cla_primary_need_code", "code"),
        ("clae_cla_episode_ceased_date", "date"),
        ("clae_cla_episode_ceased_reason", "code"),
        ("clae_referral_id", "id", "O"),
        ("clae_cla_last_iro_contact_date", "date"),
        ("clae_entered_care_date", "date"),
    ),
    _t(
        "ssd_legal_status",
        "lega_legal_status_id",
        ("lega_legal_status_id", "id"),
        ("lega_person_id", "id"),
        ("lega_legal_status", "code"),
        ("lega_legal_status_start_date", "date"),
        ("lega_legal_status_end_date", "date"),
    ),
    _t(
        "ssd_cla_placement",
        "clap_cla_placement_id",
        ("clap_cla_placement_id", "id"),
        ("clap_cla_id", "id"),
        ("clap_person_id", "id", "O"),
        ("clap_cla_placement_start_date", "date"),
        ("clap_cla_placement_end_date", "date"),
        ("clap_cla_placement_type", "code"),
        ("clap_cla_placement_provider", "code"),
        ("clap_cla_placement_postcode", "text"),
        ("clap_cla_placement_urn", "text"),
        ("clap_cla_placement_distance", "float", "O"),
        ("clap_cla_placement_change_reason", "code", "O"),
    ),
    _t(
        "ssd_cla_reviews",
        "clar_cla_review_id",
        ("clar_cla_review_id", "id"),
        ("clar_cla_id", "id"),
        ("clar_cla_person_id", "id", "O"),
        ("clar_cla_review_due_date", "date", "O"),
        ("clar_cla_review_date", "date"),
        ("clar_cla_review_cancelled", "flag"),
    ),
    _t(
        "ssd_cla_visits",
        "clav_cla_visit_id",
        ("clav_cla_visit_id", "id"),
        ("clav_cla_id", "id", "O"),
        ("clav_person_id", "id"),
        ("clav_cla_visit_date", "date"),
        ("clav_cla_visit_seen", "flag", "O"),
        ("clav_cla_visit_seen_alone", "flag", "O"),
    ),
    _t(
        "ssd_cla_care_plan",
        "lacp_table_id",
        ("lacp_table_id", "id"),
        ("lacp_person_id", "id"),
        ("lacp_cla_care_plan_start_date", "date"),
        ("lacp_cla_care_plan_end_date", "date"),
        ("lacp_cla_care_plan_json", "json"),
    ),
    _t(
        "ssd_cla_health",
        "clah_health_check_id",
        ("clah_health_check_id", "id"),
        ("clah_person_id", "id"),
        ("clah_health_check_type", "code"),
        ("clah_health_check_date", "date"),
        ("clah_health_check_status", "code"),
    ),
    _t(
        "ssd_missing",
        "miss_table_id",
        ("miss_table_id", "id"),
        ("miss_person_id", "id"),
        ("miss_missing_episode_start_date", "date"),
        ("miss_missing_episode_end_date", "date", "O"),
        ("miss_missing_episode_type", "code"),
        ("miss_missing_rhi_offered", "flag"),
        ("miss_missing_rhi_accepted", "flag"),
    ),
    _t(
        "ssd_care_leavers",
        "clea_table_id",
        ("clea_table_id", "id"),
        ("clea_person_id", "id"),
        ("clea_care_leaver_eligibility", "code"),
        ("clea_care_leaver_in_touch", "code"),
        ("clea_care_leaver_latest_contact", "date"),
        ("clea_care_leaver_accommodation", "code"),
        ("clea_care_leaver_accom_suitable", "code"),
        ("clea_care_leaver_activity", "code"),
        ("clea_pathway_plan_review_date", "date", "O"),
        ("clea_care_leaver_personal_advisor", "id", "O"),
        ("clea_care_leaver_allocated_team", "id"),
        ("clea_care_leaver_worker_id", "id"),
    ),
    _t(
        "ssd_permanence",
        "perm_table_id",
        ("perm_table_id", "id"),
        ("perm_person_id", "id"),
        ("perm_cla_id", "id", "O"),
        ("perm_adm_decision_date", "date"),
        ("perm_placement_order_date", "date"),
        ("perm_matched_date", "date"),
        ("perm_placed_for_adoption_date", "date"),
        ("perm_placed_ffa_cp_date", "date"),
        ("perm_decision_reversed_date", "date"),
        ("perm_decision_reversed_reason", "code"),
        ("perm_permanence_order_date", "date"),
        ("perm_permanence_order_type", "code"),
        ("perm_adopted_by_carer_flag", "flag", "O"),
        ("perm_placed_foster_carer_date", "date", "O"),
        ("perm_ffa_cp_decision_date", "date", "O"),
        ("perm_adopter_family_id", "id", "O"),
    ),
    _t(
        "ssd_professionals",
        "prof_professional_id",
        ("prof_professional_id", "id"),
        ("prof_staff_id", "id"),
        ("prof_professional_name", "text", "O"),
        ("prof_professional_department", "text", "O"),
        ("prof_social_worker_registration_no", "id", "O"),
        ("prof_agency_worker_flag", "flag", "O"),
        ("prof_professional_job_title", "text", "O"),
        ("prof_full_time_equivalency", "float", "O"),
    ),
    _t(
        "ssd_department",
        "dept_team_id",
        ("dept_team_id", "id"),
        ("dept_team_name", "text"),
        ("dept_team_parent_id", "id", "O"),
        ("dept_team_parent_name", "text", "O"),
    ),
    _t(
        "ssd_involvements",
        "invo_involvements_id",
        ("invo_involvements_id", "id"),
        ("invo_professional_id", "id"),
        ("invo_professional_role_id", "code"),
        ("invo_professional_team", "id"),
        ("invo_person_id", "id", "R*"),
        ("invo_referral_id", "id", "R*"),
        ("invo_involvement_start_date", "date"),
        ("invo_involvement_end_date", "date"),
        ("invo_worker_change_reason", "code", "O"),
    ),
    _t(
        "ssd_adopters",
        "adop_adopter_id",
        ("adop_adopter_id", "id"),
        ("adop_family_id", "id", "O"),
        ("adop_sex", "code"),
        ("adop_ethnicity", "code"),
        ("adop_disability", "flag"),
        ("adop_ffa_or_concurrent", "flag"),
        ("adop_enquiry_date", "date", "O"),
        ("adop_stage1_start_date", "date", "O"),
        ("adop_stage1_end_date", "date", "O"),
        ("adop_stage2_start_date", "date", "O"),
        ("adop_stage2_end_date", "date", "O"),
        ("adop_application_date", "date", "O"),
        ("adop_approval_date", "date", "O"),
        ("adop_matched_date", "date", "O"),
        ("adop_placed_date", "date", "O"),
        ("adop_children_placed", "int", "O"),
        ("adop_adoption_order_date", "date", "O"),
        ("adop_left_process_date", "date", "O"),
        ("adop_left_process_reason", "code", "O"),
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Pairs of which at least one column must be present (need "R*").
REQUIRED_ONE_OF: dict[str, tuple[tuple[str, str], ...]] = {
    "ssd_contacts": (("cont_contact_source_code", "cont_contact_source_desc"),),
    "ssd_cin_episodes": (("cine_referral_source_code", "cine_referral_source_desc"),),
    "ssd_cin_visits": (("cinv_person_id", "cinv_cin_plan_id"),),
    "ssd_involvements": (("invo_person_id", "invo_referral_id"),),
}

# Per-CMS aliases: column as named in that build -> contract name (spec §7.3).
ALIASES: dict[str, dict[str, dict[str, str]]] = {
    "mosaic": {
        "ssd_cin_plans": {"cin_plan_id": "cinp_cin_plan_id"},
        "ssd_cla_care_plan": {"lacp_cla_care_plan_id": "lacp_table_id"},
    },
}

# Logical type -> Arrow type name used in snapshots (dates as date32, all ids/codes as strings).
ARROW_TYPES = {
    "id": "string",
    "date": "date32",
    "flag": "string",
    "code": "string",
    "text": "string",
    "int": "int64",
    "float": "float64",
    "json": "string",
}


def table(name: str) -> Table:
    try:
        return TABLES_BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown source table {name!r}") from None


def sql_type(col: Column):
    """The SQLAlchemy column type for a logical type (used to create SSD-shaped tables)."""
    import sqlalchemy as sa

    return {
        "id": sa.String(100),
        "date": sa.Date(),
        "flag": sa.String(2),
        "code": sa.String(100),
        "text": sa.String(300),
        "json": sa.Text(),
        "int": sa.Integer(),
        "float": sa.Float(),
    }[col.type]


def metadata(tables: tuple[Table, ...] = TABLES, *, omit: dict[str, set[str]] | None = None):
    """SQLAlchemy MetaData for the contract tables (optionally omitting some columns), so any
    database can be given the SSD shape."""
    import sqlalchemy as sa

    md = sa.MetaData()
    omit = omit or {}
    for t in tables:
        cols = [
            sa.Column(c.name, sql_type(c), primary_key=(c.name == t.key))
            for c in t.columns
            if c.name not in omit.get(t.name, set())
        ]
        sa.Table(t.name, md, *cols)
    return md
