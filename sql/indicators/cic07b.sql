-- CIC07b IRO contact in date (indicators.md §3 CIC07 (b)). Grain: one row.
-- Denominator: List 8 rows looked after at A (no col 20). Numerator: of those, col 16 (last
-- IRO contact) on or after A - 6 months.
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
            where date_last_iro_contact >= add_months(as_at(), -6)
        ) as in_date,
        count(*) as children
    from looked_after
)

select
    'CIC07b' as indicator_id,
    cast(in_date as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * in_date / nullif(children, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
