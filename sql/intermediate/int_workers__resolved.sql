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
-- completion date when completed by A, else A. Only events dated on or after W6's first day.
with referrals as (
    select * from stg_ssd__cin_episodes
),

assessments as (
    select * from stg_ssd__cin_assessments
),

enquiries as (
    select * from stg_ssd__s47_enquiry
),

-- only events that Lists 3-5 can show: dated in W6, or (assessments, enquiries) not completed
-- by A; the event date is then on or after the first day of W6
all_events as (
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
        'ssd_cin_assessments.cina_assessment_worker_id' as worker_field,
        assessment_id,
        person_id,
        referral_id,
        coalesce(masked(auth_date), as_at()) as event_date,
        team_id,
        worker_raw
    from assessments
    union all
    select
        'ssd_s47_enquiry.s47e_s47_completed_by_worker_id' as worker_field,
        enquiry_id,
        person_id,
        referral_id,
        coalesce(masked(end_date), as_at()) as event_date,
        team_id,
        worker_raw
    from enquiries
),

events as (
    select * from all_events
    where event_date >= w6_start()
),

team_names as (
    select
        team_id,
        min(team_name) as team_name
    from stg_ssd__department
    where team_id is not null and team_name is not null
    group by team_id
),

-- the event's own worker field, resolved by its declared kind (int_workers__names)
events_own_worker as (
    select
        e.*,
        n.worker_name as own_worker_name,
        n.department_name as own_department_name
    from events as e
    left join int_workers__names as n on e.worker_field = n.field and e.worker_raw = n.raw
),

cw_involvements as (
    select * from int_workers__cw_involvements
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
