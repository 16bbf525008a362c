-- CL04a Pathway plan reviewed in date (indicators.md §4 CL04 (a)). Grain: one row.
-- List 9 rows with col 12 (latest pathway plan review) on or after A - 6 months (local
-- standard, default 6 months) / List 9 rows. Col 12 exists only in the later Annex A revision:
-- under 2019 it is blank and the value is not meaningful.
with list_9 as (
    select * from annex_a_list_09_care_leavers
),

counts as (
    select
        count(*) filter (
            where latest_pathway_plan_review_date >= add_months(as_at(), -6)
        ) as in_date,
        count(*) as young_people
    from list_9
)

select
    'CL04a' as indicator_id,
    cast(in_date as double) as numerator,
    cast(young_people as double) as denominator,
    round(100.0 * in_date / nullif(young_people, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
