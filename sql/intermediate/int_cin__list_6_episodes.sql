-- The episode of need that stands for each child on List 6 (annex_a.md §5 List 6, D2, D3, D18;
-- source_contract.md §5.7). Grain: one row per child with an episode of need in scope.
-- Candidates: referral date <= A and (masked closure date null or >= first day of W6).
-- Exclusions (D18): referral NFA (only when known at A: NFA with a closure after A is open, as
-- D15); closed by A with reason RC8 or RC9 (RC9 is also out under 2019, where it renders RC8);
-- young people on List 9 (same rule as List 9: latest care-leaver record with an eligibility of
-- the run's version, aged 16-25 or without a date of birth) with no looked-after period (not
-- short breaks only), CP plan (not other-LA), CIN plan or assessment open in W6.
-- Row selection: latest referral date; ties: open at A first, then the highest referral id
-- (numerically when both ids are numbers).
-- Services at A (person level, for Case status): looked after = a period of care open at A whose
-- looked-after legal status open at A is not V1/V3/V4 (no status open at A: the period is not
-- short-breaks-only); CP plan open at A and not other-LA; CIN plan open at A; assessment started
-- by A and not authorised by A.
-- Read by annex_a_list_06_children_in_need and int_workers__case_allocation (person_id,
-- referral_id, case_end_date = masked closure date, null when open at A).
with episodes as (
    select * from stg_ssd__cin_episodes
    where person_id is not null and referral_date <= as_at()
),

-- raw primary need: a null raw value is "not stated" (N0), an unmapped one stays blank (P6)
need_raw as (
    select
        clean_text(cine_referral_id) as referral_id,
        max(clean_text(cine_cin_primary_need_code)) as primary_need_raw
    from raw_ssd_cin_episodes
    group by clean_text(cine_referral_id)
),

periods as (
    select * from int_cla__periods_of_care
    where start_date <= as_at()
),

-- the latest-starting looked-after legal status open at A, per person
legal_status_at_a as (
    select
        person_id,
        legal_status_code
    from stg_ssd__legal_status
    where
        person_id is not null
        and legal_status_code is not null
        and legal_status_code <> 'NONLAC'
        and start_date <= as_at()
        and (end_date is null or end_date > as_at())
    qualify row_number() over (
        partition by person_id order by start_date desc, legal_status_id desc
    ) = 1
),

-- (person, open at A, open in W6) for every service that keeps a child on List 6
services as (
    select
        p.person_id,
        p.end_date is null
        and case
            when l.legal_status_code is not null
                then l.legal_status_code not in ('V1', 'V3', 'V4')
            else not p.short_breaks_only
        end as open_at_a,
        (p.end_date is null or p.end_date >= w6_start()) and not p.short_breaks_only
            as open_in_w6,
        'LAC' as service
    from periods as p
    left join legal_status_at_a as l on p.person_id = l.person_id
    union all
    select
        person_id,
        masked(end_date) is null as open_at_a,
        masked(end_date) is null or masked(end_date) >= w6_start() as open_in_w6,
        'CP' as service
    from stg_ssd__cp_plans
    where
        person_id is not null
        and start_date <= as_at()
        and ola_flag is distinct from 'Y'
    union all
    select
        person_id,
        masked(end_date) is null as open_at_a,
        masked(end_date) is null or masked(end_date) >= w6_start() as open_in_w6,
        'CIN' as service
    from stg_ssd__cin_plans
    where person_id is not null and start_date <= as_at()
    union all
    select
        person_id,
        masked(auth_date) is null as open_at_a,
        masked(auth_date) is null or masked(auth_date) >= w6_start() as open_in_w6,
        'ASSESSMENT' as service
    from stg_ssd__cin_assessments
    where person_id is not null and start_date <= as_at()
),

person_services as (
    select
        person_id,
        bool_or(open_at_a and service = 'LAC') as looked_after_at_a,
        bool_or(open_at_a and service = 'CP') as cp_plan_at_a,
        bool_or(open_at_a and service = 'CIN') as cin_plan_at_a,
        bool_or(open_at_a and service = 'ASSESSMENT') as assessment_at_a,
        bool_or(open_in_w6) as any_service_in_w6
    from services
    group by person_id
),

-- young people on List 9 (annex_a_list_09_care_leavers' rule)
on_list_9 as (
    select r.person_id
    from int_care_leavers__latest_record as r
    inner join int_person__child_columns as c on r.person_id = c.person_id
    where
        annex_code('CS-ELIG', r.eligibility_code) is not null
        and (c.age between 16 and 25 or c.dob_basis = 'missing')
),

leaving_care_only as (
    select l.person_id
    from on_list_9 as l
    left join person_services as s on l.person_id = s.person_id
    where not coalesce(s.any_service_in_w6, false)
),

in_scope as (
    select
        e.*,
        masked(e.close_date) as case_end_date
    from episodes as e
    where
        (masked(e.close_date) is null or masked(e.close_date) >= w6_start())
        -- NFA referral, unless its closure falls after A (the decision was not known at A);
        -- a missing flag or closure reason excludes nothing
        and not coalesce(
            e.nfa_flag = 'Y' and (e.close_date is null or e.close_date <= as_at()), false
        )
        and not coalesce(
            masked(e.close_date) is not null and e.close_reason in ('RC8', 'RC9'), false
        )
        and not exists (
            select 1 from leaving_care_only as x
            where x.person_id = e.person_id
        )
),

selected as (
    select *
    from in_scope
    qualify row_number() over (
        partition by person_id
        order by
            referral_date desc,
            case_end_date is null desc,
            try_cast(referral_id as bigint) desc nulls last,
            referral_id desc
    ) = 1
),

final as (
    select
        s.person_id,
        s.referral_id,
        s.referral_date,
        s.case_end_date,
        case when s.case_end_date is not null then s.close_reason end as close_reason,
        s.primary_need_code,
        n.primary_need_raw,
        coalesce(v.looked_after_at_a, false) as looked_after_at_a,
        coalesce(v.cp_plan_at_a, false) as cp_plan_at_a,
        coalesce(v.cin_plan_at_a, false) as cin_plan_at_a,
        coalesce(v.assessment_at_a, false) as assessment_at_a
    from selected as s
    left join need_raw as n on s.referral_id = n.referral_id
    left join person_services as v on s.person_id = v.person_id
)

select * from final
