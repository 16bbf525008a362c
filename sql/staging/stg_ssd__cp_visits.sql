-- Staging: ssd_cp_visits (source_contract.md §4.13). Grain: one row per CP visit.
-- person_id is absent from Mosaic builds (person via the plan); cp_plan_id may be null (link by
-- person and date). Flags mapped to Y/N; raw values kept beside them.
with source as (
    select * from raw_ssd_cp_visits
)

select
    clean_text(cppv_cp_visit_id) as visit_id,
    clean_text(cppv_person_id) as person_id,
    clean_text(cppv_cp_plan_id) as cp_plan_id,
    clean_date(cppv_cp_visit_date) as visit_date,
    clean_text(cppv_cp_visit_seen) as seen_raw,
    map_code('ssd_cp_visits.cppv_cp_visit_seen', cppv_cp_visit_seen) as seen_flag,
    clean_text(cppv_cp_visit_seen_alone) as seen_alone_raw,
    map_code('ssd_cp_visits.cppv_cp_visit_seen_alone', cppv_cp_visit_seen_alone)
        as seen_alone_flag
from source
