-- CIC02 Three or more placements in 12 months (indicators.md §3 CIC02). Grain: one row.
-- Denominator: List 8 rows looked after at A (no col 20). Numerator: of those, col 19
-- (placements in the last 12 months) >= 3.
with list_8 as (
    select * from annex_a_list_08_children_in_care
),

looked_after as (
    select *
    from list_8
    where date_ceased_looked_after is null
),

counts as (
    select
        count(*) filter (where placements_last_12_months >= 3) as three_plus,
        count(*) as children
    from looked_after
)

select
    'CIC02' as indicator_id,
    cast(three_plus as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * three_plus / nullif(children, 0), 1) as value,
    w12_start() as period_start,
    as_at() as period_end
from counts
