-- Allocated team, worker and personal adviser names for List 9 (annex_a.md §3.10;
-- source_contract.md §5.10, §6.4). Grain: one row per person in int_care_leavers__latest_record.
-- Worker: the person's CW involvement open at A, else the record's worker field. Team: the
-- record's team field, else the CW involvement's team, else the shown worker's department
-- text. Personal adviser: the record's PA field, else a 16PLUS (PA) involvement open at A.
-- Every worker id is resolved by the kind the LA declares for its field (int_workers__names).
-- Where several involvements are open at A, the latest started wins (then the highest id).
with records as (
    select
        person_id,
        worker_id,
        personal_advisor_id,
        allocated_team_id
    from int_care_leavers__latest_record
),

names as (
    select
        field,
        raw,
        worker_name,
        department_name
    from int_workers__names
),

teams as (
    select
        team_id,
        min(team_name) as team_name
    from stg_ssd__department
    where team_id is not null and team_name is not null
    group by team_id
),

-- the latest CW and PA involvement of each person open at A (no end on or before A, D2)
open_at_a as (
    select
        i.person_id,
        i.role_code,
        i.team_id,
        n.worker_name,
        n.department_name
    from stg_ssd__involvements as i
    left join names as n
        on n.field = 'ssd_involvements.invo_professional_id' and i.professional_id = n.raw
    where
        i.role_code in ('CW', 'PA')
        and i.person_id is not null
        and i.start_date <= as_at()
        and (i.end_date is null or i.end_date > as_at())
    qualify row_number() over (
        partition by i.person_id, i.role_code order by i.start_date desc, i.involvement_id desc
    ) = 1
),

final as (
    select
        r.person_id,
        coalesce(rt.team_name, it.team_name, cw.department_name, wn.department_name)
            as allocated_team,
        coalesce(cw.worker_name, wn.worker_name) as allocated_worker,
        coalesce(pn.worker_name, pa.worker_name) as allocated_personal_advisor,
        case
            when cw.worker_name is not null then 'involvement'
            when wn.worker_name is not null then 'record'
        end as worker_basis
    from records as r
    left join teams as rt on r.allocated_team_id = rt.team_id
    left join open_at_a as cw on r.person_id = cw.person_id and cw.role_code = 'CW'
    left join teams as it on cw.team_id = it.team_id
    left join open_at_a as pa on r.person_id = pa.person_id and pa.role_code = 'PA'
    left join names as wn
        on wn.field = 'ssd_care_leavers.clea_care_leaver_worker_id' and r.worker_id = wn.raw
    left join names as pn
        on
            pn.field = 'ssd_care_leavers.clea_care_leaver_personal_advisor'
            and r.personal_advisor_id = pn.raw
)

select * from final
