-- Allocated team, worker and personal adviser names for List 9 (annex_a.md §3.10;
-- source_contract.md §5.10, §6.4). Grain: one row per person in int_care_leavers__latest_record.
-- Worker: the person's CW involvement open at A, else the record's worker field. Team: the
-- record's team field, else the CW involvement's team, else the resolved worker's department
-- text. Personal adviser: the record's PA field, else a 16PLUS (PA) involvement open at A.
-- Record worker fields resolve by the LA's declared kind (ref_worker_kind); by default as a
-- professional id, then as a staff id. Where several involvements are open at A, the latest
-- started wins (then the highest involvement id). Reads the raw workforce tables directly.
with records as (
    select person_id, worker_id, personal_advisor_id, allocated_team_id
    from int_care_leavers__latest_record
),

professionals as (
    select
        clean_text(prof_professional_id) as professional_id,
        clean_text(prof_staff_id) as staff_id,
        clean_text(prof_professional_name) as professional_name,
        clean_text(prof_professional_department) as department_name
    from raw_ssd_professionals
),

teams as (
    select
        clean_text(dept_team_id) as team_id,
        clean_text(dept_team_name) as team_name
    from raw_ssd_department
),

involvements_open_at_a as (
    select
        clean_text(invo_involvements_id) as involvement_id,
        clean_text(invo_person_id) as person_id,
        clean_text(invo_professional_id) as professional_id,
        clean_text(invo_professional_team) as team_id,
        map_code('ssd_involvements.invo_professional_role_id', invo_professional_role_id)
            as role_code,
        clean_date(invo_involvement_start_date) as start_date
    from raw_ssd_involvements
    where
        clean_date(invo_involvement_start_date) <= as_at()
        and (
            clean_date(invo_involvement_end_date) is null
            or clean_date(invo_involvement_end_date) > as_at()
        )
),

current_case_worker as (
    select person_id, professional_id, team_id
    from involvements_open_at_a
    where role_code = 'CW' and person_id is not null
    qualify row_number() over (
        partition by person_id order by start_date desc, involvement_id desc
    ) = 1
),

current_personal_adviser as (
    select person_id, professional_id
    from involvements_open_at_a
    where role_code = 'PA' and person_id is not null
    qualify row_number() over (
        partition by person_id order by start_date desc, involvement_id desc
    ) = 1
),

declared_kinds as (
    select
        coalesce(
            (
                select min(kind) from ref_worker_kind
                where field = 'ssd_care_leavers.clea_care_leaver_worker_id'
            ),
            'default'
        ) as worker_kind,
        coalesce(
            (
                select min(kind) from ref_worker_kind
                where field = 'ssd_care_leavers.clea_care_leaver_personal_advisor'
            ),
            'default'
        ) as adviser_kind
),

record_workers as (
    select
        r.person_id,
        r.allocated_team_id,
        case
            when k.worker_kind = 'name' then r.worker_id
            when k.worker_kind = 'staff_id' then ws.professional_name
            when k.worker_kind = 'professional_id' then wp.professional_name
            else coalesce(wp.professional_name, ws.professional_name)
        end as record_worker_name,
        case
            when k.worker_kind = 'staff_id' then ws.department_name
            when k.worker_kind = 'professional_id' then wp.department_name
            when k.worker_kind = 'default'
                then coalesce(wp.department_name, ws.department_name)
        end as record_worker_department,
        case
            when k.adviser_kind = 'name' then r.personal_advisor_id
            when k.adviser_kind = 'staff_id' then ps.professional_name
            when k.adviser_kind = 'professional_id' then pp.professional_name
            else coalesce(pp.professional_name, ps.professional_name)
        end as record_adviser_name
    from records as r
    cross join declared_kinds as k
    left join professionals as wp on r.worker_id = wp.professional_id
    left join professionals as ws on r.worker_id = ws.staff_id
    left join professionals as pp on r.personal_advisor_id = pp.professional_id
    left join professionals as ps on r.personal_advisor_id = ps.staff_id
    qualify row_number() over (
        partition by r.person_id
        order by wp.professional_id, ws.professional_id, pp.professional_id, ps.professional_id
    ) = 1
),

final as (
    select
        rw.person_id,
        coalesce(rt.team_name, it.team_name, cwp.department_name, rw.record_worker_department)
            as allocated_team,
        coalesce(cwp.professional_name, rw.record_worker_name) as allocated_worker,
        coalesce(rw.record_adviser_name, pap.professional_name) as allocated_personal_advisor,
        case
            when cwp.professional_name is not null then 'involvement'
            when rw.record_worker_name is not null then 'record'
        end as worker_basis
    from record_workers as rw
    left join teams as rt on rw.allocated_team_id = rt.team_id
    left join current_case_worker as cw on rw.person_id = cw.person_id
    left join professionals as cwp on cw.professional_id = cwp.professional_id
    left join teams as it on cw.team_id = it.team_id
    left join current_personal_adviser as pa on rw.person_id = pa.person_id
    left join professionals as pap on pa.professional_id = pap.professional_id
)

select * from final
