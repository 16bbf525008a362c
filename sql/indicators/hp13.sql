-- HP13 CP plans ending after 2 years or more (indicators.md §2 HP13, §6.4). Grain: one row.
-- Denominator: List 7 rows whose plan ended (col 13) in W6. Numerator: of those, end date on
-- or after the second anniversary of the start (col 7; a 29 February start has its
-- anniversary on 28 February). List 7 holds only each child's latest plan (Annex A basis).
with list_7 as (
    select * from annex_a_list_07_child_protection
),

ended as (
    select *
    from list_7
    where cp_plan_end_date between w6_start() and as_at()
),

counts as (
    select
        count(*) filter (
            where cp_plan_end_date >= add_months(cp_plan_start_date, 24)
        ) as two_years_plus,
        count(*) as plans
    from ended
)

select
    'HP13' as indicator_id,
    cast(two_years_plus as double) as numerator,
    cast(plans as double) as denominator,
    round(100.0 * two_years_plus / nullif(plans, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
