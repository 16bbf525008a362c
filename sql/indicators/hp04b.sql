-- HP04b Assessed as not in need (indicators.md §2 HP04 (b)). Grain: one row.
-- List 4 rows authorised in W6 with col 10 = b) No / List 4 rows authorised in W6.
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
            where requiring_social_care_support = annex_code('CS-YN', 'N')
        ) as not_in_need,
        count(*) as assessments
    from authorised
)

select
    'HP04b' as indicator_id,
    cast(not_in_need as double) as numerator,
    cast(assessments as double) as denominator,
    round(100.0 * not_in_need / nullif(assessments, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
