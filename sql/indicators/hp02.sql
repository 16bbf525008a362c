-- HP02 Referrals (indicators.md §2 HP02). Grain: one row.
-- Count of List 3 rows (referrals dated in W6). The rate per 10,000 (count x 2, annualised from
-- 6 months, / population aged 0-17) needs the ONS population, which the CMS does not hold: the
-- count is the numerator and the value stays null until a population is supplied.
with list_3 as (
    select * from annex_a_list_03_referrals
),

counts as (
    select count(*) as referrals
    from list_3
)

select
    'HP02' as indicator_id,
    cast(referrals as double) as numerator,
    cast(null as double) as denominator,
    cast(null as double) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
