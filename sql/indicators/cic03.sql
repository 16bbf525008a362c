-- CIC03 Long-term placement stability (indicators.md §3 CIC03, §6.4; NI 63). Grain: one row.
-- Denominator: List 8 rows looked after at A (no col 20), aged under 16 at A (col 5), looked
-- after since at least 2.5 years before A (col 8 <= A - 30 months). Numerator: of those, in
-- the same placement for at least 2 years (col 22 <= A - 24 months). Annex A approximation: a
-- change of placement type with the same carer restarts col 22.
with list_8 as (
    select * from annex_a_list_08_children_in_care
),

cohort as (
    select *
    from list_8
    where
        date_ceased_looked_after is null
        and age < 16
        and date_started_looked_after <= add_months(as_at(), -30)
),

counts as (
    select
        count(*) filter (
            where placement_start_date <= add_months(as_at(), -24)
        ) as stable,
        count(*) as children
    from cohort
)

select
    'CIC03' as indicator_id,
    cast(stable as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * stable / nullif(children, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
