-- ADP3 A2: days from placement order to match (indicators.md §3 ADP3). Grain: one row.
-- Children on List 10 adopted in W12 (col 13) who had a placement order (col 10), a match
-- (col 11) and were placed for adoption (col 12): mean of max(0, col 11 - col 10) in calendar
-- days (0 when matched before the order). Numerator: total days; denominator: children.
with list_10 as (
    select * from annex_a_list_10_adoption
),

adopted as (
    select
        greatest(
            date_diff('day', date_placement_order, date_matched), 0
        ) as days
    from list_10
    where
        date_adoption_order between w12_start() and as_at()
        and date_placement_order is not null
        and date_matched is not null
        and date_placed_for_adoption is not null
),

totals as (
    select
        sum(days) as total_days,
        count(*) as children
    from adopted
)

select
    'ADP3' as indicator_id,
    cast(total_days as double) as numerator,
    cast(children as double) as denominator,
    round(total_days / nullif(children, 0), 1) as value,
    w12_start() as period_start,
    as_at() as period_end
from totals
