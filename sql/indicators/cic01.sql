-- CIC01 Children looked after (indicators.md §3 CIC01). Grain: one row.
-- Count of List 8 rows with no ceased date (col 20): looked after at A (short breaks only are
-- outside List 8). The rate per 10,000 needs the 0-17 population: the count is the numerator,
-- the value stays null.
with list_8 as (
    select * from annex_a_list_08_children_in_care
),

counts as (
    select count(*) as children
    from list_8
    where date_ceased_looked_after is null
)

select
    'CIC01' as indicator_id,
    cast(children as double) as numerator,
    cast(null as double) as denominator,
    cast(null as double) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
