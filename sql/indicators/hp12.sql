-- HP12 CP plans that are a second or subsequent plan (indicators.md §2 HP12). Grain: one row.
-- Denominator: List 7 rows whose plan started (col 7) in W6. Numerator: of those, col 15
-- (previous CP plans) >= 1. Previous plans count only within the SSD's history window.
with list_7 as (
    select * from annex_a_list_07_child_protection
),

started as (
    select *
    from list_7
    where cp_plan_start_date between w6_start() and as_at()
),

counts as (
    select
        count(*) filter (where previous_cp_plans >= 1) as repeat_plans,
        count(*) as plans
    from started
)

select
    'HP12' as indicator_id,
    cast(repeat_plans as double) as numerator,
    cast(plans as double) as denominator,
    round(100.0 * repeat_plans / nullif(plans, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
