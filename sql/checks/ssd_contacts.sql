-- Check frame of ssd_contacts, validated by its suite expectations/ssd_contacts.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_contacts row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(cont_contact_id as varchar) as cont_contact_id,
    case
        when clean_text(cont_person_id) is null then false
        else clean_text(cont_person_id) in (select person_id from chk_known_persons)
    end as _joins__cont_person_id,
    clean_text(cont_person_id) as _child_id,
    lower(trim(cast(cont_person_id as varchar))) as _text__cont_person_id,
    cast(cast(cont_contact_date as date) - date '1970-01-01' as integer) as cont_contact_date,
    lower(trim(cast(cont_contact_source_code as varchar))) as _text__cont_contact_source_code
from raw_ssd_contacts
