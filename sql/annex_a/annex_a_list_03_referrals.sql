-- Annex A List 3: Referrals (annex_a.md §5 List 3; source_contract.md §5.4).
-- Grain: one row per referral (CIN episode) with referral date in W6 (both ends inclusive, D1).
-- Referral NFA? (D15): Y -> a) Yes unless the closure is after A (blank); N -> b) No; missing or
-- unmapped -> blank (reported by validation).
-- Referrals in last 12 months (D14, §3.12): L = the child's latest referral on or before A; the
-- child's other referrals dated in [L - 12 months, L]; the same value on every row of the child.
-- Columns beginning with "_" are for validation and worklists only; they are never published.
with referrals as (
    select * from stg_ssd__cin_episodes
),

children as (
    select * from int_person__child_columns
),

workers as (
    select * from int_workers__resolved
    where worker_field = 'ssd_cin_episodes.cine_referral_worker_id'
),

known_at_a as (
    select *
    from referrals
    where referral_date <= as_at()
),

latest_referral as (
    select
        person_id,
        max(referral_date) as latest_date
    from known_at_a
    group by person_id
),

referrals_last_12_months as (
    select
        l.person_id,
        count(*) - 1 as other_referrals
    from latest_referral as l
    inner join known_at_a as r
        on
            l.person_id = r.person_id
            and r.referral_date between add_months(l.latest_date, -12) and l.latest_date
    group by l.person_id
),

in_window as (
    select *
    from known_at_a
    where referral_date between w6_start() and as_at()
),

final as (
    select
        c.child_unique_id,
        c.gender,
        c.ethnicity,
        c.date_of_birth,
        c.age,
        w.referral_date as date_of_referral,
        annex_code('CS-SOURCE', w.source_code) as referral_source,
        case
            when w.nfa_flag = 'Y' and w.close_date > as_at() then null
            else annex_code('CS-YN', w.nfa_flag)
        end as referral_nfa,
        n.other_referrals as referrals_last_12_months,
        k.team_name as allocated_team,
        k.worker_name as allocated_worker,
        w.referral_id as _record_id,
        w.person_id as _person_id,
        w.team_id as _team_id,
        w.worker_raw as _worker_raw,
        k.worker_how as _worker_how,
        k.team_how as _team_how,
        c.dob_basis as _dob_basis
    from in_window as w
    inner join children as c on w.person_id = c.person_id
    left join referrals_last_12_months as n on w.person_id = n.person_id
    left join workers as k on w.referral_id = k.record_id
)

select *
from final
order by child_unique_id, date_of_referral, _record_id
