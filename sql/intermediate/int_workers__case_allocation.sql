-- Allocated team and worker for the child lists 6, 7 and 8 (annex_a.md §3.10;
-- source_contract.md §5.7-§5.9, §6.4; D26). Grain: one row per (list_number, person_id) of the
-- case each list selected (int_cin__list_6_episodes, int_cp__list_7_plans,
-- int_cla__list_8_periods: person_id, referral_id, case_end_date = masked end, null if open).
-- Worker: for an open case the CW involvement open at A; for a closed case the latest CW
-- involvement started on or before the case's end; either way preferring the case's own episode
-- (invo_referral_id), then the latest start, then the highest involvement id. List 6 then falls
-- back to the episode's latest CIN plan coordinator, then its latest assessment's worker.
-- Team: the team of the record that gave the worker; else the other records' teams in the same
-- order; else the shown worker's department text. worker_how / team_how say which step won.
with cases as (
    select
        6 as list_number,
        person_id,
        referral_id,
        case_end_date
    from int_cin__list_6_episodes
    union all
    select
        7 as list_number,
        person_id,
        referral_id,
        case_end_date
    from int_cp__list_7_plans
    union all
    select
        8 as list_number,
        person_id,
        referral_id,
        case_end_date
    from int_cla__list_8_periods
),

involvements as (
    select * from int_workers__cw_involvements
),

teams as (
    select
        team_id,
        min(team_name) as team_name
    from stg_ssd__department
    where team_id is not null and team_name is not null
    group by team_id
),

-- open case: the CW involvement open at A (no end on or before A, D2);
-- closed case: the latest CW involvement started on or before the case's end
case_involvement as (
    select
        c.list_number,
        c.person_id,
        i.team_name,
        i.worker_name,
        i.department_name
    from cases as c
    inner join involvements as i
        on
            c.person_id = i.person_id
            and (
                (c.case_end_date is null and (i.end_date is null or i.end_date > as_at()))
                or (c.case_end_date is not null and i.start_date <= c.case_end_date)
            )
    qualify row_number() over (
        partition by c.list_number, c.person_id
        order by
            coalesce(i.referral_id = c.referral_id, false) desc,
            i.start_date desc,
            i.involvement_id desc
    ) = 1
),

-- List 6 fallbacks: the episode's latest CIN plan (coordinator) and latest assessment, up to A
plan_worker as (
    select
        p.referral_id,
        t.team_name,
        n.worker_name,
        n.department_name
    from stg_ssd__cin_plans as p
    left join teams as t on p.team_id = t.team_id
    left join int_workers__names as n
        on n.field = 'ssd_cin_plans.cinp_cin_plan_worker_id' and p.worker_raw = n.raw
    where p.start_date <= as_at() and p.referral_id is not null
    qualify row_number() over (
        partition by p.referral_id order by p.start_date desc, p.cin_plan_id desc
    ) = 1
),

assessment_worker as (
    select
        a.referral_id,
        t.team_name,
        n.worker_name,
        n.department_name
    from stg_ssd__cin_assessments as a
    left join teams as t on a.team_id = t.team_id
    left join int_workers__names as n
        on n.field = 'ssd_cin_assessments.cina_assessment_worker_id' and a.worker_raw = n.raw
    where a.start_date <= as_at() and a.referral_id is not null
    qualify row_number() over (
        partition by a.referral_id order by a.start_date desc, a.assessment_id desc
    ) = 1
),

joined as (
    select
        c.list_number,
        c.person_id,
        i.worker_name as invo_worker,
        i.team_name as invo_team,
        i.department_name as invo_department,
        case when c.list_number = 6 then p.worker_name end as plan_worker,
        case when c.list_number = 6 then p.team_name end as plan_team,
        case when c.list_number = 6 then p.department_name end as plan_department,
        case when c.list_number = 6 then a.worker_name end as assessment_worker,
        case when c.list_number = 6 then a.team_name end as assessment_team,
        case when c.list_number = 6 then a.department_name end as assessment_department
    from cases as c
    left join case_involvement as i
        on c.list_number = i.list_number and c.person_id = i.person_id
    left join plan_worker as p on c.referral_id = p.referral_id
    left join assessment_worker as a on c.referral_id = a.referral_id
),

chosen as (
    select
        *,
        case
            when invo_worker is not null then 'involvement'
            when plan_worker is not null then 'cin_plan'
            when assessment_worker is not null then 'assessment'
        end as worker_how
    from joined
)

select
    list_number,
    person_id,
    case worker_how
        when 'involvement' then coalesce(invo_team, plan_team, assessment_team, invo_department)
        when 'cin_plan' then coalesce(plan_team, invo_team, assessment_team, plan_department)
        when 'assessment'
            then coalesce(assessment_team, invo_team, plan_team, assessment_department)
        else coalesce(invo_team, plan_team, assessment_team)
    end as allocated_team,
    coalesce(invo_worker, plan_worker, assessment_worker) as allocated_worker,
    worker_how,
    case
        when worker_how = 'involvement' and invo_team is not null then 'involvement'
        when worker_how = 'cin_plan' and plan_team is not null then 'cin_plan'
        when worker_how = 'assessment' and assessment_team is not null then 'assessment'
        when invo_team is not null then 'involvement'
        when plan_team is not null then 'cin_plan'
        when assessment_team is not null then 'assessment'
        when worker_how is not null then 'worker_department'
    end as team_how
from chosen
