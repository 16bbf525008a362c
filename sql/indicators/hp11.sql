-- HP11 Children on a child protection plan (indicators.md §2 HP11). Grain: one row.
-- Count of List 7 rows with no end date (col 13): on a plan at A. The rate per 10,000 needs the
-- 0-17 population: the count is the numerator, the value stays null.
with list_7 as (
    select * from annex_a_list_07_child_protection
),

counts as (
    select count(*) as children
    from list_7
    where cp_plan_end_date is null
)

select
    'HP11' as indicator_id,
    cast(children as double) as numerator,
    cast(null as double) as denominator,
    cast(null as double) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
