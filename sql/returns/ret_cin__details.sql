-- CIN census: CINdetails, one row per CIN episode (referral) open at any time in the census year
-- (docs/statutory_returns.md). In scope: referred on or before the reference date A and not
-- closed before the census start (the day after A a year earlier). A closure after A has not
-- happened yet (D3): closure date and reason blank. DateOfInitialCPC: the episode's earliest
-- initial conference in the year that no S47 enquiry of the episode led to (e.g. a transfer-in):
-- a conference after an enquiry is reported in that Section47 module, once.
with referrals as (
    select *
    from stg_ssd__cin_episodes
    where
        person_id is not null
        and referral_date is not null
        and referral_date <= as_at()
        and (masked(close_date) is null or close_date >= census_start())
),

conferences as (
    select
        c.referral_id,
        min(c.icpc_date) as icpc_date
    from stg_ssd__initial_cp_conference as c
    left join stg_ssd__s47_enquiry as e
        on c.enquiry_id = e.enquiry_id
    where c.icpc_date between census_start() and as_at() and e.enquiry_id is null
    group by c.referral_id
)

select
    r.referral_id,
    r.person_id,
    r.referral_date,
    r.source_code as referral_source,
    r.primary_need_code,
    masked(r.close_date) as closure_date,
    case when masked(r.close_date) is not null then r.close_reason end as reason_for_closure,
    c.icpc_date as date_of_initial_cpc,
    case r.nfa_flag when 'Y' then '1' when 'N' then '0' end as referral_nfa
from referrals as r
left join conferences as c
    on r.referral_id = c.referral_id
