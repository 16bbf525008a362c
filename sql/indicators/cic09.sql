-- CIC09 Second or subsequent period of care within 12 months (indicators.md §3 CIC09).
-- Grain: one row. Denominator: List 8 rows whose col 8 (date started looked after) is in
-- W12. Numerator: of those, col 10 = a) Yes.
with list_8 as (
    select * from annex_a_list_08_children_in_care
),

started as (
    select *
    from list_8
    where date_started_looked_after between w12_start() and as_at()
),

counts as (
    select
        count(*) filter (
            where subsequent_period_last_12_months = annex_code('CS-YN', 'Y')
        ) as subsequent,
        count(*) as children
    from started
)

select
    'CIC09' as indicator_id,
    cast(subsequent as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * subsequent / nullif(children, 0), 1) as value,
    w12_start() as period_start,
    as_at() as period_end
from counts
