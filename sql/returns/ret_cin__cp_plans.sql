-- CIN census: ChildProtectionPlans, one row per CP plan of a census CIN episode open at any time
-- in the census year (started on or before A, not ended before the census start; an end after A
-- blank). NumberOfPreviousCPP: the child's plans that started before this one (any referral).
with plans as (
    select
        p.*,
        count(*) over (
            partition by p.person_id
            order by p.start_date, p.cp_plan_id
            rows between unbounded preceding and 1 preceding
        ) as previous_plans
    from stg_ssd__cp_plans as p
    where p.person_id is not null and p.start_date is not null and p.start_date <= as_at()
)

select
    p.cp_plan_id,
    p.referral_id,
    p.person_id,
    p.start_date as cpp_start_date,
    masked(p.end_date) as cpp_end_date,
    p.initial_category as initial_category_of_abuse,
    p.latest_category as latest_category_of_abuse,
    p.previous_plans as number_of_previous_cpp
from plans as p
inner join ret_cin__details as d
    on p.referral_id = d.referral_id
where masked(p.end_date) is null or p.end_date >= census_start()
