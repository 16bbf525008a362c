-- DD03 CP plans open 18 months or more, and repeat plans (indicators.md §2 HP13 companion,
-- HP12; §6.4 months).
-- Question: which children have been on a child protection plan for 18 months or more at A
-- (and 2 years or more), and which children on List 7 are on a second or subsequent plan?
-- Grain: one row per List 7 child whose plan is open at A (no col 13) and started on or before
-- A - 18 months (clamped, §6.4), or whose previous-plans count (col 15) is 1 or more.
-- Months on plan: completed calendar months from the start to A, or to the end date if ended.
with list_7 as (
    select * from annex_a_list_07_child_protection
),

measured as (
    select
        *,
        coalesce(cp_plan_end_date, as_at()) as measured_to,
        (year(coalesce(cp_plan_end_date, as_at())) - year(cp_plan_start_date)) * 12
        + month(coalesce(cp_plan_end_date, as_at())) - month(cp_plan_start_date) as month_span
    from list_7
),

flagged as (
    select
        *,
        -- completed months: the largest n with start + n months (clamped) on or before the end
        case
            when add_months(cp_plan_start_date, month_span) <= measured_to then month_span
            else month_span - 1
        end as months_on_plan,
        cp_plan_end_date is null
        and add_months(cp_plan_start_date, 18) <= as_at() as open_18_months,
        cp_plan_end_date is null
        and add_months(cp_plan_start_date, 24) <= as_at() as open_2_years,
        coalesce(previous_cp_plans, 0) >= 1 as is_repeat
    from measured
)

select
    child_unique_id as "Child Unique ID",
    age as "Age",
    cp_plan_start_date as "CP Plan Start Date",
    cp_plan_end_date as "CP Plan End Date",
    months_on_plan as "Months on Plan",
    case when open_18_months then 'Y' else 'N' end as "Open 18 Months or More",
    case when open_2_years then 'Y' else 'N' end as "Open 2 Years or More",
    previous_cp_plans as "Previous CP Plans",
    latest_category_of_abuse as "Latest Category of Abuse",
    allocated_team as "Allocated Team",
    allocated_worker as "Allocated Worker"
from flagged
where open_18_months or is_repeat
order by open_18_months desc, months_on_plan desc, child_unique_id asc, _record_id asc
