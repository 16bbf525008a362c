-- Staging: ssd_contacts. Grain: one row per contact per child.
-- Source code mapped from the code field, falling back to the description (Mosaic has no code).
with source as (
    select * from raw_ssd_contacts
    -- a row without its key cannot be named on a list: left out, reported (key_not_null)
    where clean_text(cont_contact_id) is not null
)

select
    clean_text(cont_contact_id) as contact_id,
    clean_text(cont_person_id) as person_id,
    clean_date(cont_contact_date) as contact_date,
    coalesce(
        map_code('ssd_contacts.cont_contact_source_code', cont_contact_source_code),
        map_code('ssd_contacts.cont_contact_source_desc', cont_contact_source_desc)
    ) as source_code
from source
