-- HP06 Child seen during assessment (indicators.md §2 HP06). Grain: one row.
-- List 4 rows authorised in W6 with col 8 = a) Yes / List 4 rows authorised in W6.
with list_4 as (
    select * from annex_a_list_04_assessments
),

authorised as (
    select *
    from list_4
    where assessment_authorisation_date between w6_start() and as_at()
),

counts as (
    select
        count(*) filter (
            where child_seen_during_assessment = annex_code('CS-YNU', 'Y')
        ) as seen,
        count(*) as assessments
    from authorised
)

select
    'HP06' as indicator_id,
    cast(seen as double) as numerator,
    cast(assessments as double) as denominator,
    round(100.0 * seen / nullif(assessments, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
