-- Staging: ssd_cp_plans. Grain: one row per child protection plan.
-- A missing OLA flag (absent from Mosaic) stays null; consumers read null as N.
with source as (
    select * from raw_ssd_cp_plans
    -- a row without its key cannot be named on a list: left out, reported (key_not_null)
    where clean_text(cppl_cp_plan_id) is not null
)

select
    clean_text(cppl_cp_plan_id) as cp_plan_id,
    clean_text(cppl_referral_id) as referral_id,
    clean_text(cppl_icpc_id) as icpc_id,
    clean_text(cppl_person_id) as person_id,
    clean_date(cppl_cp_plan_start_date) as start_date,
    clean_date(cppl_cp_plan_end_date) as end_date,
    map_code('ssd_cp_plans.cppl_cp_plan_ola', cppl_cp_plan_ola) as ola_flag,
    map_code('ssd_cp_plans.cppl_cp_plan_initial_category', cppl_cp_plan_initial_category)
        as initial_category,
    map_code('ssd_cp_plans.cppl_cp_plan_latest_category', cppl_cp_plan_latest_category)
        as latest_category
from source
