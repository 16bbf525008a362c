-- Check frame of ssd_cla_care_plan, validated by its suite expectations/ssd_cla_care_plan.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cla_care_plan row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(lacp_table_id as varchar) as lacp_table_id,
    case
        when clean_text(lacp_person_id) is null then false
        else clean_text(lacp_person_id) in (select person_id from chk_known_persons)
    end as _joins__lacp_person_id,
    clean_text(lacp_person_id) as _child_id,
    lower(trim(cast(lacp_person_id as varchar))) as _text__lacp_person_id,
    cast(
        cast(lacp_cla_care_plan_start_date as date) - date '1970-01-01' as integer
    ) as lacp_cla_care_plan_start_date,
    cast(
        cast(lacp_cla_care_plan_end_date as date) - date '1970-01-01' as integer
    ) as lacp_cla_care_plan_end_date
from raw_ssd_cla_care_plan
