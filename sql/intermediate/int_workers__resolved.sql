-- Allocated team and worker names for the event lists (3, 4, 5), resolved as in
-- source_contract.md §6.4 (annex_a D26).
-- Grain: one row per (worker_field, record_id): the SSD worker field the event is read from and
-- the event's record id (referral, assessment or enquiry id).
-- Worker: the event's own worker field, read as the kind declared for it in ref_worker_kind
-- (name = the value itself; undeclared = professional id, then staff id); if that gives no name,
-- the child's CW involvement open on the event date (preferring the event's own episode, then the
-- latest start). Team: the event's team -> dept_team_name; else the involvement's team; else the
-- shown worker's department text. worker_how / team_how say which step gave the value.
-- Event date: referral date; for assessments and enquiries (worker "who completed" it) the
-- completion date when completed by A, else A.
with referrals as (
    select * from stg_ssd__cin_episodes
),

assessments as (
    select * from stg_ssd__cin_assessments
),

enquiries as (
    select * from stg_ssd__s47_enquiry
),

professionals as (
    select * from stg_ssd__professionals
),

departments as (
    select * from stg_ssd__department
),

involvements as (
    select * from stg_ssd__involvements
),

worker_kinds as (
    select field, kind from ref_worker_kind
),

events as (
    select
        'ssd_cin_episodes.cine_referral_worker_id' as worker_field,
        referral_id as record_id,
        person_id,
        referral_id,
        referral_date as event_date,
        team_id,
        worker_raw
    from referrals
    union all
    select
        'ssd_cin_assessments.cina_assessment_worker_id',
        assessment_id,
        person_id,
        referral_id,
        coalesce(masked(auth_date), as_at()),
        team_id,
        worker_raw
    from assessments
    union all
    select
        'ssd_s47_enquiry.s47e_s47_completed_by_worker_id',
        enquiry_id,
        person_id,
        referral_id,
        coalesce(masked(end_date), as_at()),
        team_id,
        worker_raw
    from enquiries
),

-- one name (and department text) per worker key of each id kind
worker_keys as (
    select
        'professional_id' as kind,
        professional_id as worker_key,
        min(professional_name) as worker_name,
        min(department_name) as department_name
    from professionals
    where professional_id is not null and professional_name is not null
    group by professional_id
    union all
    select
        'staff_id',
        staff_id,
        min(professional_name),
        min(department_name)
    from professionals
    where staff_id is not null and professional_name is not null
    group by staff_id
),

team_names as (
    select team_id, min(team_name) as team_name
    from departments
    where team_id is not null and team_name is not null
    group by team_id
),

-- a raw worker value of a field, resolved by the field's declared kind
events_own_worker as (
    select
        e.*,
        case
            when k.kind = 'name' then e.worker_raw
            when k.kind = 'professional_id' then p.worker_name
            when k.kind = 'staff_id' then s.worker_name
            else coalesce(p.worker_name, s.worker_name)
        end as own_worker_name,
        case
            when k.kind = 'name' then null
            when k.kind = 'professional_id' then p.department_name
            when k.kind = 'staff_id' then s.department_name
            when p.worker_name is not null then p.department_name
            else s.department_name
        end as own_department_name
    from events as e
    left join worker_kinds as k on e.worker_field = k.field
    left join worker_keys as p on p.kind = 'professional_id' and e.worker_raw = p.worker_key
    left join worker_keys as s on s.kind = 'staff_id' and e.worker_raw = s.worker_key
),

-- CW involvements with the worker's name (involvement worker field resolved the same way)
cw_involvements as (
    select
        i.involvement_id,
        coalesce(i.person_id, r.person_id) as person_id,
        i.referral_id,
        i.start_date,
        i.end_date,
        i.team_id,
        case
            when k.kind = 'name' then i.professional_id
            when k.kind = 'professional_id' then p.worker_name
            when k.kind = 'staff_id' then s.worker_name
            else coalesce(p.worker_name, s.worker_name)
        end as worker_name,
        case
            when k.kind = 'name' then null
            when k.kind = 'professional_id' then p.department_name
            when k.kind = 'staff_id' then s.department_name
            when p.worker_name is not null then p.department_name
            else s.department_name
        end as department_name
    from involvements as i
    left join referrals as r on i.referral_id = r.referral_id
    left join worker_kinds as k on k.field = 'ssd_involvements.invo_professional_id'
    left join worker_keys as p on p.kind = 'professional_id' and i.professional_id = p.worker_key
    left join worker_keys as s on s.kind = 'staff_id' and i.professional_id = s.worker_key
    where i.role_code = 'CW'
),

-- the CW involvement open on the event date (end date inclusive), one per event
involvement_on_event_date as (
    select
        e.worker_field,
        e.record_id,
        i.team_id as invo_team_id,
        i.worker_name as invo_worker_name,
        i.department_name as invo_department_name
    from events as e
    inner join cw_involvements as i
        on
            e.person_id = i.person_id
            and i.start_date <= e.event_date
            and (i.end_date is null or i.end_date >= e.event_date)
    qualify row_number() over (
        partition by e.worker_field, e.record_id
        order by
            coalesce(i.referral_id = e.referral_id, false) desc,
            i.start_date desc,
            i.involvement_id desc
    ) = 1
),

resolved as (
    select
        e.worker_field,
        e.record_id,
        e.team_id,
        e.worker_raw,
        coalesce(e.own_worker_name, v.invo_worker_name) as worker_name,
        case
            when e.own_worker_name is not null then 'event'
            when v.invo_worker_name is not null then 'involvement'
        end as worker_how,
        coalesce(
            et.team_name,
            it.team_name,
            case
                when e.own_worker_name is not null then e.own_department_name
                else v.invo_department_name
            end
        ) as team_name,
        case
            when et.team_name is not null then 'event'
            when it.team_name is not null then 'involvement'
            when e.own_worker_name is not null and e.own_department_name is not null
                then 'worker_department'
            when e.own_worker_name is null and v.invo_department_name is not null
                then 'worker_department'
        end as team_how
    from events_own_worker as e
    left join involvement_on_event_date as v
        on e.worker_field = v.worker_field and e.record_id = v.record_id
    left join team_names as et on e.team_id = et.team_id
    left join team_names as it on v.invo_team_id = it.team_id
)

select * from resolved
