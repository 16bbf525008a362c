-- HP16 Children in need (indicators.md §2 HP16). Grain: one row.
-- Count of List 6 rows with no closure date (col 10): open at A, including children on CP
-- plans and looked after (as DfE). The rate per 10,000 needs the 0-17 population: the count
-- is the numerator, the value stays null.
with list_6 as (
    select * from annex_a_list_06_children_in_need
),

counts as (
    select count(*) as children
    from list_6
    where cin_closure_date is null
)

select
    'HP16' as indicator_id,
    cast(children as double) as numerator,
    cast(null as double) as denominator,
    cast(null as double) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
