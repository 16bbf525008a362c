-- CIC05b Dental checks in date (indicators.md §3 CIC05, §6.4). Grain: one row.
-- Denominator: List 8 rows looked after at A (no col 20) for at least 12 months (col 8 <=
-- A - 12 months). Numerator: col 18 (last dental check) on or after A - 12 months.
with list_8 as (
    select * from annex_a_list_08_children_in_care
),

cohort as (
    select *
    from list_8
    where
        date_ceased_looked_after is null
        and date_started_looked_after <= add_months(as_at(), -12)
),

counts as (
    select
        count(*) filter (
            where date_last_dental_check >= add_months(as_at(), -12)
        ) as in_date,
        count(*) as children
    from cohort
)

select
    'CIC05b' as indicator_id,
    cast(in_date as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * in_date / nullif(children, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
