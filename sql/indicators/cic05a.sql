-- CIC05a Health assessments in date (indicators.md §3 CIC05, §6.4). Grain: one row.
-- Denominator: List 8 rows looked after at A (no col 20) for at least 12 months (col 8 <=
-- A - 12 months). Numerator: col 17 (last health assessment) on or after A - 12 months, or
-- A - 6 months for children under 5 at A (the 6-month rule is unconfirmed in the spec).
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
            where date_last_health_assessment >= add_months(
                as_at(), case when age < 5 then -6 else -12 end
            )
        ) as in_date,
        count(*) as children
    from cohort
)

select
    'CIC05a' as indicator_id,
    cast(in_date as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * in_date / nullif(children, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
