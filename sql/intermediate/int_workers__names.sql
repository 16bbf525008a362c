-- Worker names: every raw value of every SSD worker field, resolved to a name once
-- (source_contract.md §6.4; annex_a D26). Grain: one row per (field, raw).
-- A field holds what the LA's mapping declares for it (ref_worker_kind): `name` (the value is
-- the name), `professional_id` or `staff_id` (join ssd_professionals); undeclared fields try the
-- professional id, then the staff id. department_name is the resolved worker's department text
-- (a team fallback); it is null for `name` fields. Consumers join on (field, raw).
with raw_values as (
    select distinct
        'ssd_cin_episodes.cine_referral_worker_id' as field,
        worker_raw as raw
    from stg_ssd__cin_episodes
    union
    select distinct
        'ssd_cin_assessments.cina_assessment_worker_id' as field,
        worker_raw
    from stg_ssd__cin_assessments
    union
    select distinct
        'ssd_s47_enquiry.s47e_s47_completed_by_worker_id' as field,
        worker_raw
    from stg_ssd__s47_enquiry
    union
    select distinct
        'ssd_cin_plans.cinp_cin_plan_worker_id' as field,
        worker_raw
    from stg_ssd__cin_plans
    union
    select distinct
        'ssd_involvements.invo_professional_id' as field,
        professional_id
    from stg_ssd__involvements
    union
    select distinct
        'ssd_care_leavers.clea_care_leaver_worker_id' as field,
        worker_id
    from stg_ssd__care_leavers
    union
    select distinct
        'ssd_care_leavers.clea_care_leaver_personal_advisor' as field,
        personal_advisor_id
    from stg_ssd__care_leavers
),

professionals as (
    select * from stg_ssd__professionals
),

-- one name (and department text) per key of each id kind
by_professional_id as (
    select
        professional_id as worker_key,
        min(professional_name) as worker_name,
        min(department_name) as department_name
    from professionals
    where professional_id is not null and professional_name is not null
    group by professional_id
),

by_staff_id as (
    select
        staff_id as worker_key,
        min(professional_name) as worker_name,
        min(department_name) as department_name
    from professionals
    where staff_id is not null and professional_name is not null
    group by staff_id
),

resolved as (
    select
        v.field,
        v.raw,
        coalesce(k.kind, 'default') as kind,
        case
            when k.kind = 'name' then v.raw
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
    from raw_values as v
    left join ref_worker_kind as k on v.field = k.field
    left join by_professional_id as p on v.raw = p.worker_key
    left join by_staff_id as s on v.raw = s.worker_key
    where v.raw is not null
)

select * from resolved
