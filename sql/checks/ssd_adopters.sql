-- Check frame of ssd_adopters, validated by its suite expectations/ssd_adopters.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_adopters row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(adop_adopter_id as varchar) as adop_adopter_id,
    cast(null as varchar) as _child_id,
    lower(trim(cast(adop_family_id as varchar))) as _text__adop_family_id,
    lower(trim(cast(adop_sex as varchar))) as _text__adop_sex,
    lower(trim(cast(adop_ethnicity as varchar))) as _text__adop_ethnicity,
    cast(cast(adop_enquiry_date as date) - date '1970-01-01' as integer) as adop_enquiry_date,
    cast(
        cast(adop_stage1_start_date as date) - date '1970-01-01' as integer
    ) as adop_stage1_start_date,
    cast(cast(adop_stage1_end_date as date) - date '1970-01-01' as integer) as adop_stage1_end_date,
    cast(
        cast(adop_stage2_start_date as date) - date '1970-01-01' as integer
    ) as adop_stage2_start_date,
    cast(cast(adop_stage2_end_date as date) - date '1970-01-01' as integer) as adop_stage2_end_date,
    cast(
        cast(adop_application_date as date) - date '1970-01-01' as integer
    ) as adop_application_date,
    cast(cast(adop_approval_date as date) - date '1970-01-01' as integer) as adop_approval_date,
    cast(cast(adop_matched_date as date) - date '1970-01-01' as integer) as adop_matched_date,
    cast(cast(adop_placed_date as date) - date '1970-01-01' as integer) as adop_placed_date,
    cast(
        cast(adop_adoption_order_date as date) - date '1970-01-01' as integer
    ) as adop_adoption_order_date,
    cast(
        cast(adop_left_process_date as date) - date '1970-01-01' as integer
    ) as adop_left_process_date,
    lower(trim(cast(adop_left_process_reason as varchar))) as _text__adop_left_process_reason
from raw_ssd_adopters
