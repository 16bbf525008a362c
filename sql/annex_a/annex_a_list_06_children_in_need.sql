-- Annex A List 6: Children in need (annex_a.md §5 List 6, D3, D18, D19; source_contract.md
-- §5.7). Grain: one row per child, for the episode chosen by int_cin__list_6_episodes.
-- Primary need: the episode's (current-state) primary need; nothing recorded -> N0.
-- Last seen (D19): the latest CIN, CP or CLA visit of the child dated from the referral date to
-- the closure date (or A when open at A), recorded with the child seen (Y). Visits without a
-- seen flag do not count; their number is in _visits_without_seen_flag (reported).
-- Closure date and reason only when the episode closed by A (D2, D3).
-- Case status (D18, at A, person level): closed episode -> e); else looked after -> a); CP plan
-- -> b); CIN plan -> c); open assessment -> d); none of these -> c) with _status_warning.
-- Allocated team and worker: int_workers__case_allocation (list 6).
-- Columns beginning with "_" are for validation and worklists only; they are never published.
with episodes as (
    select * from int_cin__list_6_episodes
),

children as (
    select * from int_person__child_columns
),

allocation as (
    select * from int_workers__case_allocation
    where list_number = 6
),

cin_plans as (
    select * from stg_ssd__cin_plans
),

cp_plans as (
    select * from stg_ssd__cp_plans
),

-- every visit of a child: the person from the visit, else from its plan (Mosaic builds)
visits as (
    select
        coalesce(v.person_id, p.person_id) as person_id,
        v.visit_date,
        v.seen_raw,
        v.seen_flag
    from stg_ssd__cin_visits as v
    left join cin_plans as p on v.cin_plan_id = p.cin_plan_id
    union all
    select
        coalesce(v.person_id, p.person_id) as person_id,
        v.visit_date,
        v.seen_raw,
        v.seen_flag
    from stg_ssd__cp_visits as v
    left join cp_plans as p on v.cp_plan_id = p.cp_plan_id
    union all
    select
        person_id,
        visit_date,
        seen_raw,
        seen_flag
    from stg_ssd__cla_visits
),

seen_in_episode as (
    select
        e.person_id,
        max(case when v.seen_flag = 'Y' then v.visit_date end) as last_seen_date,
        count(*) filter (where v.seen_raw is null) as visits_without_seen_flag
    from episodes as e
    inner join visits as v
        on
            e.person_id = v.person_id
            and v.visit_date between e.referral_date and coalesce(e.case_end_date, as_at())
    group by e.person_id
),

statuses as (
    select
        *,
        case
            when case_end_date is not null then 'CLOSED'
            when looked_after_at_a then 'LAC'
            when cp_plan_at_a then 'CP'
            when cin_plan_at_a then 'CIN'
            when assessment_at_a then 'ASSESSMENT'
            else 'CIN'
        end as case_status_code,
        case
            when
                case_end_date is null
                and not (looked_after_at_a or cp_plan_at_a or cin_plan_at_a or assessment_at_a)
                then 'open episode without care, plan or open assessment at A'
        end as status_warning
    from episodes
),

final as (
    select
        c.child_unique_id,
        c.gender,
        c.ethnicity,
        c.date_of_birth,
        c.age,
        c.disability,
        e.referral_date as cin_start_date,
        case
            when e.primary_need_raw is null then annex_code('CS-NEED', 'N0')
            else annex_code('CS-NEED', e.primary_need_code)
        end as primary_need_code,
        s.last_seen_date as date_child_last_seen,
        e.case_end_date as cin_closure_date,
        annex_code('CS-RC', e.close_reason) as reason_for_closure,
        annex_code('CS-CASESTATUS', e.case_status_code) as case_status,
        k.allocated_team,
        k.allocated_worker,
        e.referral_id as _record_id,
        e.person_id as _person_id,
        k.worker_how as _worker_how,
        k.team_how as _team_how,
        c.dob_basis as _dob_basis,
        e.status_warning as _status_warning,
        coalesce(s.visits_without_seen_flag, 0) as _visits_without_seen_flag
    from statuses as e
    inner join children as c on e.person_id = c.person_id
    left join seen_in_episode as s on e.person_id = s.person_id
    left join allocation as k on e.person_id = k.person_id
)

select *
from final
order by child_unique_id, cin_start_date, _record_id
