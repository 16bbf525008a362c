-- CIN census: CINPlanDates, one row per CIN plan of a census CIN episode open at any time in the
-- census year (started on or before A, not ended before the census start; an end after A blank).
select
    p.cin_plan_id,
    p.referral_id,
    p.person_id,
    p.start_date as cin_plan_start_date,
    masked(p.end_date) as cin_plan_end_date
from stg_ssd__cin_plans as p
inner join ret_cin__details as d
    on p.referral_id = d.referral_id
where
    p.start_date is not null
    and p.start_date <= as_at()
    and (masked(p.end_date) is null or p.end_date >= census_start())
