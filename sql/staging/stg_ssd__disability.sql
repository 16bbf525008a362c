-- Staging: ssd_disability. Grain: one row per recorded current disability of a person.
with source as (
    select * from raw_ssd_disability
)

select
    clean_text(disa_table_id) as disability_id,
    clean_text(disa_person_id) as person_id,
    clean_text(disa_disability_code) as disability_raw,
    map_code('ssd_disability.disa_disability_code', disa_disability_code) as disability_code
from source
