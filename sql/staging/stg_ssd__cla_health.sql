-- Staging: ssd_cla_health (source_contract.md §4.21).
-- Grain: one row per health check. check_type_code: HEALTH / DENTAL / OTHER; status_code:
-- COMPLETED / PLANNED / REFUSED / CANCELLED (status_raw null = not recorded, which counts as
-- completed for List 8, D21(d)).
with source as (
    select * from raw_ssd_cla_health
)

select
    clean_text(clah_health_check_id) as health_check_id,
    clean_text(clah_person_id) as person_id,
    clean_text(clah_health_check_type) as check_type_raw,
    map_code('ssd_cla_health.clah_health_check_type', clah_health_check_type)
        as check_type_code,
    clean_date(clah_health_check_date) as check_date,
    clean_text(clah_health_check_status) as status_raw,
    map_code('ssd_cla_health.clah_health_check_status', clah_health_check_status)
        as status_code
from source
