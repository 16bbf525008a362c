-- Annex A List 8: Children in care (annex_a.md §5 List 8, D2, D3, D12, D21, D22, D26;
-- source_contract.md §5.9, §6.3, §6.5). Grain: one row per child, for the period of care
-- chosen in int_cla__list_8_periods (latest period open in W6, short breaks only excluded).
-- No unborn rule: a date of birth after A (or none) is left blank, with the age, and reported.
-- In-period sources (reviews, visits, health checks, placements) are taken from the period's
-- start to its end (or A while it is open); reviews and placements follow their period id and
-- fall back to person and date when the id names no period of the person.
-- Permanence plan: the care-plan record in force at A (at the end of the period for a ceased
-- period); several options flagged -> the D22 first one, listed in _perm_warning.
-- Missing / absent: episodes starting from the later of the period start and W12's first day up
-- to A (D21(f)); return interview of the latest counted missing episode: Y / N, NA or blank ->
-- Unknown, and Unknown while that episode had not ended by A; accepted blank when not offered.
-- Columns beginning with "_" are for validation and worklists only; they are never published.
with periods as (
    select * from int_cla__list_8_periods
),

children as (
    select * from int_person__child_columns
),

known_periods as (
    select
        person_id,
        period_of_care_id
    from int_cla__periods_of_care
),

allocation as (
    select * from int_workers__case_allocation
    where list_number = 8
),

-- the period's bounds as seen at A: an open period runs to A
bounded as (
    select
        *,
        coalesce(case_end_date, as_at()) as period_to
    from periods
),

uasc as (
    select distinct person_id
    from stg_ssd__immigration_status
    where
        status_code = 'UASC'
        and start_date <= as_at()
        and (end_date is null or end_date >= w12_start())
),

-- the legal status in force at A, or at the end of a ceased period: the latest-starting
-- looked-after status (a CS-LEGAL code) starting by then and not ended before the period began
legal as (
    select
        b.person_id,
        s.start_date,
        s.legal_status_code
    from bounded as b
    inner join stg_ssd__legal_status as s
        on
            b.person_id = s.person_id
            and annex_code('CS-LEGAL', s.legal_status_code) is not null
            and s.start_date <= b.period_to
            and (s.end_date is null or s.end_date >= b.start_date)
    qualify row_number() over (
        partition by b.person_id
        order by
            s.start_date desc, s.end_date desc nulls first, s.legal_status_code asc,
            s.legal_status_id desc
    ) = 1
),

reviews as (
    select
        r.*,
        coalesce(r.person_id, k.person_id) as review_person_id,
        k.period_of_care_id is not null as linked
    from stg_ssd__cla_reviews as r
    left join known_periods as k
        on
            r.period_of_care_id = k.period_of_care_id
            and (r.person_id is null or r.person_id = k.person_id)
    where
        r.review_date <= as_at()
        and r.cancelled_flag is distinct from 'Y'
),

latest_review as (
    select
        b.person_id,
        max(r.review_date) as review_date
    from bounded as b
    inner join reviews as r
        on
            b.person_id = r.review_person_id
            and (
                (r.linked and r.period_of_care_id = b.period_of_care_id)
                or (not r.linked and r.review_date between b.start_date and b.period_to)
            )
    group by b.person_id
),

latest_visit as (
    select
        b.person_id,
        max(v.visit_date) as visit_date
    from bounded as b
    inner join stg_ssd__cla_visits as v
        on
            b.person_id = v.person_id
            and v.visit_date between b.start_date and b.period_to
    group by b.person_id
),

care_plan as (
    select
        b.person_id,
        c.permanence_code,
        c.permanence_options
    from bounded as b
    inner join stg_ssd__cla_care_plan as c
        on
            b.person_id = c.person_id
            and c.start_date <= b.period_to
            and (
                c.end_date is null
                or c.end_date > b.period_to
                or (b.case_end_date is not null and c.end_date = b.case_end_date)
            )
    qualify row_number() over (
        partition by b.person_id order by c.start_date desc, c.care_plan_id desc
    ) = 1
),

health as (
    select
        b.person_id,
        max(h.check_date) filter (where h.check_type_code = 'HEALTH') as health_date,
        max(h.check_date) filter (where h.check_type_code = 'DENTAL') as dental_date
    from bounded as b
    inner join stg_ssd__cla_health as h
        on
            b.person_id = h.person_id
            and h.check_date between b.start_date and b.period_to
            and (h.status_raw is null or h.status_code = 'COMPLETED')
    group by b.person_id
),

placements as (
    select
        p.*,
        coalesce(p.person_id, k.person_id) as placement_person_id,
        k.period_of_care_id is not null as linked
    from stg_ssd__cla_placement as p
    left join known_periods as k
        on
            p.period_of_care_id = k.period_of_care_id
            and (p.person_id is null or p.person_id = k.person_id)
    where p.start_date <= as_at()
),

latest_placement as (
    select
        b.person_id,
        p.placement_id,
        p.start_date,
        p.placement_type_code,
        p.provider_code,
        p.postcode,
        p.postcode_key,
        p.urn,
        p.special_kind
    from bounded as b
    inner join placements as p
        on
            b.person_id = p.placement_person_id
            and p.start_date <= b.period_to
            and (
                (p.linked and p.period_of_care_id = b.period_of_care_id)
                or (not p.linked and p.start_date >= b.start_date)
            )
    qualify row_number() over (
        partition by b.person_id
        order by p.start_date desc, p.end_date desc nulls first, p.placement_id desc
    ) = 1
),

-- LA of placement and location (§6.5): CON / NUK declared by placement id; BT postcodes are
-- Northern Ireland; else the postcode lookup's country (Wales, Scotland) or English LA
placement_place as (
    select
        l.*,
        pc.la_code,
        pc.la_name,
        case
            when l.special_kind is not null then l.special_kind
            when starts_with(l.postcode_key, 'BT') then 'NIR'
            when lower(pc.country) = 'northern ireland' then 'NIR'
            when lower(pc.country) = 'wales' then 'WAL'
            when lower(pc.country) = 'scotland' then 'SCO'
        end as place_code,
        case
            when l.special_kind = 'NUK' then 'OUT'
            when starts_with(l.postcode_key, 'BT') then 'OUT'
            when pc.postcode is null then null
            when pc.la_code = (select r.la_code from run_params as r) then 'IN'
            else 'OUT'
        end as location_code
    from latest_placement as l
    left join ref_postcode as pc on l.postcode_key = pc.postcode
),

missing as (
    select
        b.person_id,
        m.missing_id,
        m.start_date,
        m.end_date,
        m.missing_type_code,
        m.rhi_offered_raw,
        m.rhi_offered_flag,
        m.rhi_accepted_raw,
        m.rhi_accepted_flag
    from bounded as b
    inner join stg_ssd__missing as m
        on
            b.person_id = m.person_id
            and m.start_date between greatest(b.start_date, w12_start()) and as_at()
            and m.missing_type_code in ('M', 'A')
),

missing_counts as (
    select
        person_id,
        count(*) filter (where missing_type_code = 'M') as missing_count,
        count(*) filter (where missing_type_code = 'A') as absent_count
    from missing
    group by person_id
),

last_missing as (
    select
        person_id,
        -- an episode ending after A had not ended at A: no interview known yet (D3)
        case
            when end_date > as_at() then 'U'
            when rhi_offered_raw is null or rhi_offered_flag = 'NA' then 'U'
            else rhi_offered_flag
        end as offered,
        case
            when end_date > as_at() then 'U'
            when rhi_accepted_raw is null or rhi_accepted_flag = 'NA' then 'U'
            else rhi_accepted_flag
        end as accepted
    from missing
    where missing_type_code = 'M'
    qualify row_number() over (
        partition by person_id
        order by start_date desc, end_date desc nulls first, missing_id desc
    ) = 1
),

final as (
    select
        c.child_unique_id,
        c.gender,
        c.ethnicity,
        case when c.dob_basis in ('recorded', 'expected_past') then c.date_of_birth end
            as date_of_birth,
        case when c.dob_basis in ('recorded', 'expected_past') then c.age end as age,
        annex_code('CS-YN', case when u.person_id is null then 'N' else 'Y' end)
            as uasc_last_12_months,
        c.disability,
        b.start_date as date_started_looked_after,
        annex_code('CS-NEED-LAC', b.primary_need_code) as category_of_need,
        annex_code('CS-YN', case when b.subsequent_period then 'Y' else 'N' end)
            as subsequent_period_last_12_months,
        g.start_date as legal_status_start_date,
        annex_code('CS-LEGAL', g.legal_status_code) as legal_status,
        r.review_date as date_latest_statutory_review,
        v.visit_date as date_last_social_work_visit,
        annex_code('CS-PERM', cp.permanence_code) as permanence_plan,
        b.last_iro_contact_date as date_last_iro_contact,
        h.health_date as date_last_health_assessment,
        h.dental_date as date_last_dental_check,
        b.placements_w12 as placements_last_12_months,
        b.case_end_date as date_ceased_looked_after,
        annex_code('CS-CEASED', b.ceased_reason_code) as reason_ceased_looked_after,
        pl.start_date as placement_start_date,
        annex_code('CS-PLACETYPE', pl.placement_type_code) as placement_type,
        annex_code('CS-PROVIDER', pl.provider_code) as placement_provider,
        pl.postcode as placement_postcode,
        pl.urn as placement_urn,
        annex_code('CS-LOCATION', pl.location_code) as placement_location,
        case
            when pl.place_code is not null then annex_code('CS-LAPLACE', pl.place_code)
            else pl.la_name
        end as la_of_placement,
        cast(coalesce(mc.missing_count, 0) as integer) as missing_episodes_last_12_months,
        cast(coalesce(mc.absent_count, 0) as integer) as absent_episodes_last_12_months,
        annex_code('CS-YNU', lm.offered) as return_interview_offered,
        case when lm.offered <> 'N' then annex_code('CS-YNU', lm.accepted) end
            as return_interview_accepted,
        a.allocated_team,
        a.allocated_worker,
        b.period_of_care_id as _record_id,
        b.person_id as _person_id,
        pl.placement_id as _placement_id,
        case
            when len(cp.permanence_options) > 1
                then array_to_string(cp.permanence_options, '+')
        end as _perm_warning,
        a.worker_how as _worker_how,
        a.team_how as _team_how,
        c.dob_basis as _dob_basis
    from bounded as b
    inner join children as c on b.person_id = c.person_id
    left join uasc as u on b.person_id = u.person_id
    left join legal as g on b.person_id = g.person_id
    left join latest_review as r on b.person_id = r.person_id
    left join latest_visit as v on b.person_id = v.person_id
    left join care_plan as cp on b.person_id = cp.person_id
    left join health as h on b.person_id = h.person_id
    left join placement_place as pl on b.person_id = pl.person_id
    left join missing_counts as mc on b.person_id = mc.person_id
    left join last_missing as lm on b.person_id = lm.person_id
    left join allocation as a on b.person_id = a.person_id
)

select *
from final
order by child_unique_id, date_started_looked_after, _record_id
