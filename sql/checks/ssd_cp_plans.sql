-- Check frame of ssd_cp_plans, validated by its suite expectations/ssd_cp_plans.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cp_plans row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(cppl_cp_plan_id as varchar) as cppl_cp_plan_id,
    case
        when clean_text(cppl_person_id) is null then false
        else clean_text(cppl_person_id) in (select person_id from chk_known_persons)
    end as _joins__cppl_person_id,
    clean_text(cppl_person_id) as _child_id,
    lower(trim(cast(cppl_referral_id as varchar))) as _text__cppl_referral_id,
    lower(trim(cast(cppl_icpc_id as varchar))) as _text__cppl_icpc_id,
    lower(trim(cast(cppl_person_id as varchar))) as _text__cppl_person_id,
    cast(
        cast(cppl_cp_plan_start_date as date) - date '1970-01-01' as integer
    ) as cppl_cp_plan_start_date,
    cast(
        cast(cppl_cp_plan_end_date as date) - date '1970-01-01' as integer
    ) as cppl_cp_plan_end_date,
    lower(trim(cast(cppl_cp_plan_initial_category as varchar))) as _text__cppl_cp_plan_initial_category,
    lower(trim(cast(cppl_cp_plan_latest_category as varchar))) as _text__cppl_cp_plan_latest_category
from raw_ssd_cp_plans
