-- Annex A List 1: Contacts (annex_a.md §5, List 1).
-- Grain: one row per contact per child, contact date in W6 (both ends inclusive, D1).
-- Columns beginning with "_" are for validation and worklists only; they are never published.
with contacts as (
    select * from stg_ssd__contacts
),

children as (
    select * from int_person__child_columns
),

in_window as (
    select *
    from contacts
    where contact_date between w6_start() and as_at()
),

final as (
    select
        c.child_unique_id,
        c.gender,
        c.ethnicity,
        c.date_of_birth,
        c.age,
        w.contact_date as date_of_contact,
        annex_code('CS-SOURCE', w.source_code) as contact_source,
        w.contact_id as _record_id,
        w.person_id as _person_id,
        c.dob_basis as _dob_basis
    from in_window as w
    inner join children as c on w.person_id = c.person_id
)

select *
from final
order by child_unique_id, date_of_contact, _record_id
