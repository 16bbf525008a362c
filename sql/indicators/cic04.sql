-- CIC04 Missing from care (indicators.md §3 CIC04). Grain: one row.
-- List 8 rows with col 29 (missing episodes in the last 12 months) >= 1 / List 8 rows (every
-- child looked after at some time in W6, as List 8 holds them).
with list_8 as (
    select * from annex_a_list_08_children_in_care
),

counts as (
    select
        count(*) filter (
            where missing_episodes_last_12_months >= 1
        ) as missing,
        count(*) as children
    from list_8
)

select
    'CIC04' as indicator_id,
    cast(missing as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * missing / nullif(children, 0), 1) as value,
    w12_start() as period_start,
    as_at() as period_end
from counts
