-- Annex A List 4: Assessments (annex_a.md §5 List 4; source_contract.md §5.5).
-- Grain: one row per child and family assessment started on or before A and either not
-- authorised by A or authorised within W6 (an authorisation after A has not happened yet, D3).
-- Child seen: Y/N, nothing recorded -> c) Unknown. Requiring support (D16): only when authorised
-- by A: NFA N -> a) Yes, NFA Y -> b) No, outcome not recorded -> blank (reported).
-- Columns beginning with "_" are for validation and worklists only; they are never published.
with assessments as (
    select * from stg_ssd__cin_assessments
),

children as (
    select * from int_person__child_columns
),

workers as (
    select * from int_workers__resolved
    where worker_field = 'ssd_cin_assessments.cina_assessment_worker_id'
),

in_scope as (
    select
        *,
        masked(auth_date) as shown_auth_date
    from assessments
    where
        start_date <= as_at()
        and (masked(auth_date) is null or masked(auth_date) >= w6_start())
),

final as (
    select
        c.child_unique_id,
        c.gender,
        c.ethnicity,
        c.date_of_birth,
        c.age,
        c.disability,
        w.start_date as assessment_start_date,
        case
            when w.child_seen_raw is null then annex_code('CS-YNU', 'U')
            else annex_code('CS-YNU', w.child_seen_flag)
        end as child_seen_during_assessment,
        w.shown_auth_date as assessment_authorisation_date,
        case
            when w.shown_auth_date is null then null
            when w.nfa_flag = 'N' then annex_code('CS-YN', 'Y')
            when w.nfa_flag = 'Y' then annex_code('CS-YN', 'N')
        end as requiring_social_care_support,
        k.team_name as allocated_team,
        k.worker_name as allocated_worker,
        w.assessment_id as _record_id,
        w.person_id as _person_id,
        w.team_id as _team_id,
        w.worker_raw as _worker_raw,
        k.worker_how as _worker_how,
        k.team_how as _team_how,
        c.dob_basis as _dob_basis
    from in_scope as w
    inner join children as c on w.person_id = c.person_id
    left join workers as k on w.assessment_id = k.record_id
)

select *
from final
order by child_unique_id, assessment_start_date, _record_id
