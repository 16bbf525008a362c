-- HP04a Referrals ending in no further action (indicators.md §2 HP04 (a)). Grain: one row.
-- List 3 rows with col 8 = a) Yes / List 3 rows (a blank col 8 counts in the denominator only).
with list_3 as (
    select * from annex_a_list_03_referrals
),

counts as (
    select
        count(*) filter (
            where referral_nfa = annex_code('CS-YN', 'Y')
        ) as nfa,
        count(*) as referrals
    from list_3
)

select
    'HP04a' as indicator_id,
    cast(nfa as double) as numerator,
    cast(referrals as double) as denominator,
    round(100.0 * nfa / nullif(referrals, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
