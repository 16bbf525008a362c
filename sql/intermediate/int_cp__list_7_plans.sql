-- The child protection plan that stands for each child on List 7 (annex_a.md §5 List 7, D2, D3,
-- D20; source_contract.md §5.8). Grain: one row per child with a CP plan in scope.
-- Candidates: start <= A and (masked end null or >= first day of W6), not held for another LA
-- (OLA flag Y; a missing flag reads as N).
-- Row selection: latest start; ties: open at A first, then the highest plan id (numerically
-- when both ids are numbers).
-- Previous plans (D20): the child's other plans, not other-LA, started before this plan's start
-- (so on or before A); counted from the source's history only.
-- latest_category_raw tells "no latest category" (fall back to the initial one) from an
-- unmapped one (blank, reported: P6).
-- Read by annex_a_list_07_child_protection and int_workers__case_allocation (person_id,
-- cp_plan_id, referral_id, case_end_date = masked plan end, null when open at A).
with plans as (
    select * from stg_ssd__cp_plans
    where
        person_id is not null
        and start_date <= as_at()
        and ola_flag is distinct from 'Y'
),

latest_category_raw as (
    select
        clean_text(cppl_cp_plan_id) as cp_plan_id,
        max(clean_text(cppl_cp_plan_latest_category)) as latest_category_raw
    from raw_ssd_cp_plans
    group by clean_text(cppl_cp_plan_id)
),

in_scope as (
    select
        *,
        masked(end_date) as case_end_date
    from plans
    where masked(end_date) is null or masked(end_date) >= w6_start()
),

selected as (
    select *
    from in_scope
    qualify row_number() over (
        partition by person_id
        order by
            start_date desc,
            case_end_date is null desc,
            try_cast(cp_plan_id as bigint) desc nulls last,
            cp_plan_id desc
    ) = 1
),

previous_plans as (
    select
        s.cp_plan_id,
        count(p.cp_plan_id) as previous_plans
    from selected as s
    inner join plans as p
        on s.person_id = p.person_id and p.start_date < s.start_date
    group by s.cp_plan_id
),

final as (
    select
        s.person_id,
        s.cp_plan_id,
        s.referral_id,
        s.start_date,
        s.case_end_date,
        s.initial_category,
        s.latest_category,
        r.latest_category_raw,
        coalesce(n.previous_plans, 0) as previous_plans
    from selected as s
    left join latest_category_raw as r on s.cp_plan_id = r.cp_plan_id
    left join previous_plans as n on s.cp_plan_id = n.cp_plan_id
)

select * from final
