-- Annex A List 7: Child protection (annex_a.md §5 List 7, D2, D3, D20; source_contract.md §5.8).
-- Grain: one row per child, for the plan chosen by int_cp__list_7_plans.
-- Latest category: the (current-state) latest category; none recorded -> the initial one.
-- Visits and reviews belong to the plan through their plan id; one without a plan id (or with an
-- id of no known plan) is linked by person and date within the plan. Last statutory visit: the
-- latest such visit dated from the plan start to the plan end (or A when open at A); seen alone
-- from that visit: Y -> a), N -> b), not recorded -> c) Unknown; blank without a visit. Several
-- visits on that day: seen alone Y, then N, then not recorded, then the highest visit id.
-- Latest review: the latest linked review dated on or before A (person-linked: within the plan).
-- EPO / police protection (D20): a legal status mapped to L1 or L2 starting on or before A and
-- not ended before the first day of W6 -> a) Yes, else b) No.
-- Allocated team and worker: int_workers__case_allocation (list 7).
-- Columns beginning with "_" are for validation and worklists only; they are never published.
with plans as (
    select * from int_cp__list_7_plans
),

children as (
    select * from int_person__child_columns
),

allocation as (
    select * from int_workers__case_allocation
    where list_number = 7
),

known_plans as (
    select distinct
        cp_plan_id,
        person_id
    from stg_ssd__cp_plans
    where cp_plan_id is not null
),

-- visits and reviews with the plan they name (when it exists) and their person
visits as (
    select
        v.*,
        k.cp_plan_id as known_plan_id,
        coalesce(v.person_id, k.person_id) as child_id
    from stg_ssd__cp_visits as v
    left join known_plans as k on v.cp_plan_id = k.cp_plan_id
),

reviews as (
    select
        r.*,
        k.cp_plan_id as known_plan_id,
        coalesce(r.person_id, k.person_id) as child_id
    from stg_ssd__cp_reviews as r
    left join known_plans as k on r.cp_plan_id = k.cp_plan_id
),

-- a visit belongs to a plan by its plan id, else (no known plan) by person; two equi-joins
-- rather than one join on an OR, so DuckDB can hash both
plan_visits as (
    select
        p.cp_plan_id,
        p.start_date,
        p.case_end_date,
        v.*
    from plans as p
    inner join visits as v on v.known_plan_id = p.cp_plan_id
    union all
    select
        p.cp_plan_id,
        p.start_date,
        p.case_end_date,
        v.*
    from plans as p
    inner join visits as v on v.known_plan_id is null and v.child_id = p.person_id
),

last_visit as (
    select
        cp_plan_id,
        visit_id,
        visit_date,
        seen_alone_raw,
        seen_alone_flag
    from plan_visits
    where visit_date between start_date and coalesce(case_end_date, as_at())
    qualify row_number() over (
        partition by cp_plan_id
        order by
            visit_date desc,
            case seen_alone_flag when 'Y' then 0 when 'N' then 1 else 2 end,
            try_cast(visit_id as bigint) desc nulls last,
            visit_id desc
    ) = 1
),

latest_review as (
    select
        cp_plan_id,
        max(review_date) as review_date
    from (
        select
            p.cp_plan_id,
            r.review_date
        from plans as p
        inner join reviews as r on r.known_plan_id = p.cp_plan_id
        union all
        select
            p.cp_plan_id,
            r.review_date
        from plans as p
        inner join reviews as r on r.known_plan_id is null and r.child_id = p.person_id
        where r.review_date between p.start_date and coalesce(p.case_end_date, as_at())
    ) as plan_reviews
    where review_date <= as_at()
    group by cp_plan_id
),

emergency_protection as (
    select distinct person_id
    from stg_ssd__legal_status
    where
        legal_status_code in ('L1', 'L2')
        and start_date <= as_at()
        and (end_date is null or end_date >= w6_start())
),

final as (
    select
        c.child_unique_id,
        c.gender,
        c.ethnicity,
        c.date_of_birth,
        c.age,
        c.disability,
        p.start_date as cp_plan_start_date,
        annex_code('CS-ABUSE', p.initial_category) as initial_category_of_abuse,
        case
            when p.latest_category_raw is null then annex_code('CS-ABUSE', p.initial_category)
            else annex_code('CS-ABUSE', p.latest_category)
        end as latest_category_of_abuse,
        v.visit_date as date_last_statutory_visit,
        case
            when v.visit_id is null then null
            when v.seen_alone_raw is null then annex_code('CS-YNU', 'U')
            else annex_code('CS-YNU', v.seen_alone_flag)
        end as child_seen_alone,
        r.review_date as date_latest_review_conference,
        p.case_end_date as cp_plan_end_date,
        case
            when ep.person_id is not null then annex_code('CS-YN', 'Y')
            else annex_code('CS-YN', 'N')
        end as epo_or_police_protection_last_6_months,
        p.previous_plans as previous_cp_plans,
        k.allocated_team,
        k.allocated_worker,
        p.cp_plan_id as _record_id,
        p.person_id as _person_id,
        k.worker_how as _worker_how,
        k.team_how as _team_how,
        c.dob_basis as _dob_basis,
        v.visit_id as _visit_id
    from plans as p
    inner join children as c on p.person_id = c.person_id
    left join last_visit as v on p.cp_plan_id = v.cp_plan_id
    left join latest_review as r on p.cp_plan_id = r.cp_plan_id
    left join emergency_protection as ep on p.person_id = ep.person_id
    left join allocation as k on p.person_id = k.person_id
)

select *
from final
order by child_unique_id, cp_plan_start_date, _record_id
