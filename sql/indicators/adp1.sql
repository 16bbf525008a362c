-- ADP1 A1: days from entering care to moving in with adopters (indicators.md §3 ADP1).
-- Grain: one row. Children on List 10 adopted in W12 (col 13 adoption order in W12) with a
-- date placed for adoption (col 12): mean of col 12 - col 8 (date entered care) in calendar
-- days, to one decimal place. Numerator: total days; denominator: children.
with list_10 as (
    select * from annex_a_list_10_adoption
),

adopted as (
    select date_diff('day', date_entered_care, date_placed_for_adoption) as days
    from list_10
    where
        date_adoption_order between w12_start() and as_at()
        and date_placed_for_adoption is not null
        and date_entered_care is not null
),

totals as (
    select
        sum(days) as total_days,
        count(*) as children
    from adopted
)

select
    'ADP1' as indicator_id,
    cast(total_days as double) as numerator,
    cast(children as double) as denominator,
    round(total_days / nullif(children, 0), 1) as value,
    w12_start() as period_start,
    as_at() as period_end
from totals
