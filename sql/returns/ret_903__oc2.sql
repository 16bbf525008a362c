-- SSDA903: OC2, one row per child looked after continuously for at least 12 months at A (a period
-- started on or before A a year earlier and still open at A). HEALTH_ASSESSMENT and TEETH_CHECK:
-- 1 when a health assessment (a dental check) was completed in the year, else 0. SDQ, convictions,
-- immunisations, the under-5s' development check (HEALTH_CHECK), substance misuse and
-- interventions are not in the SSD (blank).
with long_stays as (
    select distinct p.person_id
    from int_cla__periods_of_care as p
    where
        p.start_date <= add_months(as_at(), -12)
        and p.end_date is null
        and not p.short_breaks_only
),

checks as (
    select
        person_id,
        bool_or(check_type_code = 'HEALTH') as health,
        bool_or(check_type_code = 'DENTAL') as dental
    from stg_ssd__cla_health
    where status_code = 'COMPLETED' and check_date between census_start() and as_at()
    group by person_id
)

select
    h.person_id,
    h.child,
    h.dob,
    cast(null as varchar) as sdq_score,
    cast(null as varchar) as sdq_reason,
    cast(null as varchar) as convicted,
    cast(null as varchar) as health_check,
    cast(null as varchar) as immunisations,
    case when coalesce(c.dental, false) then '1' else '0' end as teeth_check,
    case when coalesce(c.health, false) then '1' else '0' end as health_assessment,
    cast(null as varchar) as substance_misuse,
    cast(null as varchar) as intervention_received,
    cast(null as varchar) as intervention_offered
from ret_903__header as h
inner join long_stays as s
    on h.person_id = s.person_id
left join checks as c
    on h.person_id = c.person_id
