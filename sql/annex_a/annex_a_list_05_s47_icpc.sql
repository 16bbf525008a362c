-- Annex A List 5: Section 47 enquiries and ICPCs (annex_a.md §5 List 5; source_contract.md §5.6).
-- Grain: one row per section 47 enquiry open in W6 (start <= A and, with end dates after A treated
-- as not yet happened (D3), no end or end >= first day of W6).
-- Linked ICPC: the earliest ICPC of the enquiry held on or before A (D17).
-- ICPC deemed unnecessary? (D17): b) No if an ICPC is linked, or an ICPC was recorded as required
-- (CP_CONFERENCE_FLAG = Y; only when the enquiry has not ended after A), or the child was on a CP
-- plan open on the S47 start date; else a) Yes if the enquiry ended by A with NFA = Y or
-- CP_CONFERENCE_FLAG = N; else blank.
-- Counts (§3.12): L = the child's latest S47 start on or before A; other enquiries started in
-- [L - 12 months, L]; the child's ICPCs dated in [L - 12 months, L); same value on every row.
-- Columns beginning with "_" are for validation and worklists only; they are never published.
with enquiries as (
    select * from stg_ssd__s47_enquiry
),

conferences as (
    select * from stg_ssd__initial_cp_conference
),

cp_plans as (
    select * from stg_ssd__cp_plans
),

children as (
    select * from int_person__child_columns
),

workers as (
    select * from int_workers__resolved
    where worker_field = 'ssd_s47_enquiry.s47e_s47_completed_by_worker_id'
),

known_at_a as (
    select
        *,
        masked(end_date) as shown_end_date,
        -- the recorded outcome is only known at A if the enquiry did not end after A
        case when end_date is null or end_date <= as_at() then conference_flag end
            as known_conference_flag
    from enquiries
    where start_date <= as_at()
),

open_in_window as (
    select *
    from known_at_a
    where shown_end_date is null or shown_end_date >= w6_start()
),

linked_icpc as (
    select
        enquiry_id,
        icpc_id,
        icpc_date,
        outcome_cp_flag
    from conferences
    where enquiry_id is not null and icpc_date <= as_at()
    qualify row_number() over (partition by enquiry_id order by icpc_date, icpc_id) = 1
),

-- linked ICPCs whose plan is a temporary plan held for another LA (D20: not on List 7), for
-- the cross-list check that a conference's plan is on List 7 (sql/cross)
icpc_other_la_plan as (
    select distinct i.enquiry_id
    from linked_icpc as i
    inner join cp_plans as p on p.icpc_id = i.icpc_id
    where p.ola_flag = 'Y'
),

on_plan_at_start as (
    select distinct e.enquiry_id
    from open_in_window as e
    inner join cp_plans as p
        on
            e.person_id = p.person_id
            and p.start_date <= e.start_date
            and (p.end_date is null or p.end_date > e.start_date)
),

latest_enquiry as (
    select
        person_id,
        max(start_date) as latest_date
    from known_at_a
    group by person_id
),

enquiries_last_12_months as (
    select
        l.person_id,
        count(*) - 1 as other_enquiries
    from latest_enquiry as l
    inner join known_at_a as e
        on
            l.person_id = e.person_id
            and e.start_date between add_months(l.latest_date, -12) and l.latest_date
    group by l.person_id
),

icpcs_last_12_months as (
    select
        l.person_id,
        count(c.icpc_id) as prior_icpcs
    from latest_enquiry as l
    left join conferences as c
        on
            l.person_id = c.person_id
            and c.icpc_date >= add_months(l.latest_date, -12)
            and c.icpc_date < l.latest_date
    group by l.person_id
),

final as (
    select
        ch.child_unique_id,
        ch.gender,
        ch.ethnicity,
        ch.date_of_birth,
        ch.age,
        ch.disability,
        w.start_date as s47_start_date,
        case
            when
                i.icpc_id is not null
                or w.known_conference_flag = 'Y'
                or pl.enquiry_id is not null
                then annex_code('CS-YN', 'N')
            when
                w.shown_end_date is not null
                and (w.nfa_flag = 'Y' or w.known_conference_flag = 'N')
                then annex_code('CS-YN', 'Y')
        end as icpc_unnecessary,
        i.icpc_date,
        annex_code('CS-YN', i.outcome_cp_flag) as icpc_resulted_in_cp_plan,
        n.other_enquiries as s47_enquiries_last_12_months,
        coalesce(q.prior_icpcs, 0) as icpcs_last_12_months,
        k.team_name as allocated_team,
        k.worker_name as allocated_worker,
        w.enquiry_id as _record_id,
        w.person_id as _person_id,
        w.team_id as _team_id,
        w.worker_raw as _worker_raw,
        k.worker_how as _worker_how,
        k.team_how as _team_how,
        i.icpc_id as _icpc_id,
        ch.dob_basis as _dob_basis,
        ol.enquiry_id is not null as _icpc_plan_other_la
    from open_in_window as w
    inner join children as ch on w.person_id = ch.person_id
    left join linked_icpc as i on w.enquiry_id = i.enquiry_id
    left join on_plan_at_start as pl on w.enquiry_id = pl.enquiry_id
    left join enquiries_last_12_months as n on w.person_id = n.person_id
    left join icpcs_last_12_months as q on w.person_id = q.person_id
    left join workers as k on w.enquiry_id = k.record_id
    left join icpc_other_la_plan as ol on w.enquiry_id = ol.enquiry_id
)

select *
from final
order by child_unique_id, s47_start_date, _record_id
