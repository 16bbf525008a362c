-- HP05 Assessments completed within 45 working days (indicators.md §2 HP05, §6.2).
-- Grain: one row. Denominator: List 4 rows authorised in W6 (col 9). Numerator: of those,
-- WD(col 7 start, col 9 authorisation) <= 45 (start day = day 0). An authorisation before the
-- start (negative WD) is a data error: denominator only. Open assessments are in neither.
with list_4 as (
    select * from annex_a_list_04_assessments
),

authorised as (
    select
        *,
        wd(assessment_start_date, assessment_authorisation_date) as working_days
    from list_4
    where assessment_authorisation_date between w6_start() and as_at()
),

counts as (
    select
        count(*) filter (where working_days between 0 and 45) as within_45,
        count(*) as assessments
    from authorised
)

select
    'HP05' as indicator_id,
    cast(within_45 as double) as numerator,
    cast(assessments as double) as denominator,
    round(100.0 * within_45 / nullif(assessments, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
