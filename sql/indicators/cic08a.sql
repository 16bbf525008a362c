-- CIC08a Placed outside the LA boundary (indicators.md §3 CIC08 (a)). Grain: one row.
-- List 8 rows looked after at A (no col 20) with col 27 = b) Out / List 8 rows looked after
-- at A (a blank location counts in the denominator only).
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
        count(*) filter (
            where placement_location = annex_code('CS-LOCATION', 'OUT')
        ) as placed_out,
        count(*) as children
    from looked_after
)

select
    'CIC08a' as indicator_id,
    cast(placed_out as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * placed_out / nullif(children, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
