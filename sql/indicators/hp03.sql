-- HP03 Re-referrals within 12 months (indicators.md §2 HP03). Grain: one row.
-- Annex A approximation (the spec's Annex A source): List 3 rows with col 9 (referrals in the
-- last 12 months) >= 1 / List 3 rows. Col 9 is anchored on the child's latest referral, so the
-- value overstates the referral-level DfE measure (spec §8); hp03x.sql is the CMS refinement.
with list_3 as (
    select * from annex_a_list_03_referrals
),

counts as (
    select
        count(*) filter (where referrals_last_12_months >= 1) as re_referrals,
        count(*) as referrals
    from list_3
)

select
    'HP03' as indicator_id,
    cast(re_referrals as double) as numerator,
    cast(referrals as double) as denominator,
    round(100.0 * re_referrals / nullif(referrals, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
