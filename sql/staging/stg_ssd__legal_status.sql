-- Staging: ssd_legal_status (source_contract.md §4.16).
-- Grain: one row per legal status history row (looked-after and other statuses); the status is
-- mapped to its 903 code (C1 … V4, L1, L2 …); end_date null = current.
with source as (
    select * from raw_ssd_legal_status
)

select
    clean_text(lega_legal_status_id) as legal_status_id,
    clean_text(lega_person_id) as person_id,
    map_code('ssd_legal_status.lega_legal_status', lega_legal_status) as legal_status_code,
    clean_date(lega_legal_status_start_date) as start_date,
    clean_date(lega_legal_status_end_date) as end_date
from source
