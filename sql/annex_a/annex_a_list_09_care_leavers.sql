-- Annex A List 9: Care leavers (annex_a.md §5 List 9, §7; source_contract.md §5.10; D23).
-- Grain: one row per young person whose latest leaving-care record on or before A has an
-- eligibility category of the run's version (2019: eligible children left out, because
-- annex_code gives no 2019 string for ELIGIBLE), aged 16 to 25 at A. A young person without a
-- date of birth is kept (age blank) so that validation reports the missing date.
-- Outputs all 17 later-revision columns; the workbook publishes the version's columns.
-- Accommodation, suitability and activity only when in touch is YES (D23).
-- Columns beginning with "_" are for validation and worklists only; they are never published.
with records as (
    select * from int_care_leavers__latest_record
),

children as (
    select * from int_person__child_columns
),

allocation as (
    select * from int_care_leavers__allocation
),

uasc_status as (
    select
        person_id,
        bool_or(end_date is null or end_date > as_at()) as uasc_open_at_a
    from stg_ssd__immigration_status
    where status_code = 'UASC' and start_date <= as_at()
    group by person_id
),

eligible_in_version as (
    select
        *,
        annex_code('CS-ELIG', eligibility_code) as eligibility_category
    from records
    where annex_code('CS-ELIG', eligibility_code) is not null
),

final as (
    select
        c.child_unique_id,
        c.gender,
        c.ethnicity,
        c.date_of_birth,
        c.age,
        case
            when u.person_id is null then annex_code('CS-YN', 'N')
            when c.age < 18 and not u.uasc_open_at_a then annex_code('CS-YN', 'N')
            else annex_code('CS-YN', 'Y')
        end as uasc_or_former_uasc,
        c.disability,
        a.allocated_team,
        a.allocated_worker,
        a.allocated_personal_advisor,
        e.eligibility_category,
        masked(e.pathway_plan_review_date) as latest_pathway_plan_review_date,
        annex_code('CS-INTOUCH', e.in_touch_code) as la_in_touch,
        masked(e.latest_contact_date) as latest_date_of_contact,
        case
            when e.in_touch_code = 'YES' then annex_code('CS-ACCOM', e.accommodation_code)
        end as type_of_accommodation,
        case
            when e.in_touch_code = 'YES' then annex_code('CS-SUIT', e.suitability_code)
        end as suitability_of_accommodation,
        case
            when e.in_touch_code = 'YES' then annex_code('CS-ACTIVITY', e.activity_code)
        end as activity_status,
        e.person_id as _record_id,
        e.person_id as _person_id,
        c.dob_basis as _dob_basis,
        a.worker_basis as _worker_basis
    from eligible_in_version as e
    inner join children as c on e.person_id = c.person_id
    left join allocation as a on e.person_id = a.person_id
    left join uasc_status as u on e.person_id = u.person_id
    where c.age between 16 and 25 or c.dob_basis = 'missing'
)

select *
from final
order by child_unique_id, _record_id
