-- Staging: ssd_adopters (project extension, source_contract.md §8.1).
-- Grain: one row per individual (prospective) adopter; a couple is two rows sharing family_id.
-- Raw values are kept beside the mapped codes where "not recorded" and "unmapped" must differ.
with source as (
    select * from raw_ssd_adopters
    -- a row without its key cannot be named on a list: left out, reported (key_not_null)
    where clean_text(adop_adopter_id) is not null
)

select
    clean_text(adop_adopter_id) as adopter_id,
    clean_text(adop_family_id) as family_id,
    clean_text(adop_sex) as gender_raw,
    map_code('ssd_adopters.adop_sex', adop_sex) as gender_code,
    clean_text(adop_ethnicity) as ethnicity_raw,
    map_code('ssd_adopters.adop_ethnicity', adop_ethnicity) as ethnicity_code,
    clean_text(adop_disability) as disability_raw,
    map_code('ssd_adopters.adop_disability', adop_disability) as disability_code,
    clean_text(adop_ffa_or_concurrent) as ffa_raw,
    map_code('ssd_adopters.adop_ffa_or_concurrent', adop_ffa_or_concurrent) as ffa_code,
    clean_date(adop_enquiry_date) as enquiry_date,
    clean_date(adop_stage1_start_date) as stage1_start_date,
    clean_date(adop_stage1_end_date) as stage1_end_date,
    clean_date(adop_stage2_start_date) as stage2_start_date,
    clean_date(adop_stage2_end_date) as stage2_end_date,
    clean_date(adop_application_date) as application_date,
    clean_date(adop_approval_date) as approval_date,
    clean_date(adop_matched_date) as matched_date,
    clean_date(adop_placed_date) as placed_date,
    cast(adop_children_placed as integer) as children_placed,
    clean_date(adop_adoption_order_date) as adoption_order_date,
    clean_date(adop_left_process_date) as left_process_date,
    clean_text(adop_left_process_reason) as left_process_reason_raw,
    map_code('ssd_adopters.adop_left_process_reason', adop_left_process_reason)
        as left_process_reason_code
from source
