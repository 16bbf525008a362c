-- Staging: ssd_cin_plans (source_contract.md §4.8). Grain: one row per CIN plan.
-- end_date null = open. Team and worker are the plan coordinator's: List 6 allocation fallback.
with source as (
    select * from raw_ssd_cin_plans
)

select
    clean_text(cinp_cin_plan_id) as cin_plan_id,
    clean_text(cinp_referral_id) as referral_id,
    clean_text(cinp_person_id) as person_id,
    clean_date(cinp_cin_plan_start_date) as start_date,
    clean_date(cinp_cin_plan_end_date) as end_date,
    clean_text(cinp_cin_plan_team) as team_id,
    clean_text(cinp_cin_plan_worker_id) as worker_raw
from source
