-- HP03x Re-referrals within 12 months, exact (indicators.md §2 HP03, CMS refinement).
-- Grain: one row. Denominator: referrals dated in W6 (as List 3: referral date known by A).
-- Numerator: of those, referrals for which the same child had another referral earlier by date
-- (then by referral id) dated on or after the referral date - 12 months (clamped, §6.4).
-- The child's whole referral history in ssd_cin_episodes counts, not only W6.
with referrals as (
    select * from stg_ssd__cin_episodes
    where person_id is not null and referral_date <= as_at()
),

in_window as (
    select *
    from referrals
    where referral_date between w6_start() and as_at()
),

flagged as (
    select
        w.referral_id,
        exists(
            select 1
            from referrals as p
            where
                p.person_id = w.person_id
                and p.referral_date >= add_months(w.referral_date, -12)
                and (
                    p.referral_date < w.referral_date
                    or (
                        p.referral_date = w.referral_date
                        and p.referral_id < w.referral_id
                    )
                )
        ) as is_re_referral
    from in_window as w
),

counts as (
    select
        count(*) filter (where is_re_referral) as re_referrals,
        count(*) as referrals
    from flagged
)

select
    'HP03x' as indicator_id,
    cast(re_referrals as double) as numerator,
    cast(referrals as double) as denominator,
    round(100.0 * re_referrals / nullif(referrals, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
