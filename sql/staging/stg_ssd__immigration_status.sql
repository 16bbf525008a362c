-- Staging: ssd_immigration_status (source_contract.md §4.3).
-- Grain: one row per immigration status record; status mapped to UASC / OTHER.
with source as (
    select * from raw_ssd_immigration_status
)

select
    clean_text(immi_immigration_status_id) as immigration_status_id,
    clean_text(immi_person_id) as person_id,
    map_code('ssd_immigration_status.immi_immigration_status', immi_immigration_status)
        as status_code,
    clean_date(immi_immigration_status_start_date) as start_date,
    clean_date(immi_immigration_status_end_date) as end_date
from source
