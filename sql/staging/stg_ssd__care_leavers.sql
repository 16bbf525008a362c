-- Staging: ssd_care_leavers (source_contract.md §4.23).
-- Grain: one row per care-leaver record. clea_table_id is regenerated on every SSD build, so it
-- is kept for reporting only and never used as a key or tie-breaker (§7 problem 14).
-- Suitability falls back to the digit of a combined accommodation code such as U1 (§5.10).
with source as (
    select * from raw_ssd_care_leavers
)

select
    clean_text(clea_table_id) as care_leaver_record_id,
    clean_text(clea_person_id) as person_id,
    map_code('ssd_care_leavers.clea_care_leaver_eligibility', clea_care_leaver_eligibility)
        as eligibility_code,
    map_code('ssd_care_leavers.clea_care_leaver_in_touch', clea_care_leaver_in_touch)
        as in_touch_code,
    clean_date(clea_care_leaver_latest_contact) as latest_contact_date,
    map_code('ssd_care_leavers.clea_care_leaver_accommodation', clea_care_leaver_accommodation)
        as accommodation_code,
    coalesce(
        map_code(
            'ssd_care_leavers.clea_care_leaver_accom_suitable', clea_care_leaver_accom_suitable
        ),
        map_code(
            'ssd_care_leavers.clea_care_leaver_accom_suitable',
            nullif(
                regexp_extract(
                    trim(cast(clea_care_leaver_accommodation as varchar)), '^[A-Za-z]([12])$', 1
                ),
                ''
            )
        )
    ) as suitability_code,
    map_code('ssd_care_leavers.clea_care_leaver_activity', clea_care_leaver_activity)
        as activity_code,
    clean_date(clea_pathway_plan_review_date) as pathway_plan_review_date,
    clean_text(clea_care_leaver_personal_advisor) as personal_advisor_id,
    clean_text(clea_care_leaver_allocated_team) as allocated_team_id,
    clean_text(clea_care_leaver_worker_id) as worker_id
from source
