-- Staging: ssd_cin_visits (source_contract.md §4.9). Grain: one row per CIN visit.
-- person_id is absent from Mosaic builds, which carry cin_plan_id instead: consumers take the
-- person from the plan. Flags mapped to Y/N; the raw value is kept so that "not recorded" and
-- "unmapped" stay distinct.
with source as (
    select * from raw_ssd_cin_visits
)

select
    clean_text(cinv_cin_visit_id) as visit_id,
    clean_text(cinv_person_id) as person_id,
    clean_text(cinv_cin_plan_id) as cin_plan_id,
    clean_date(cinv_cin_visit_date) as visit_date,
    clean_text(cinv_cin_visit_seen) as seen_raw,
    map_code('ssd_cin_visits.cinv_cin_visit_seen', cinv_cin_visit_seen) as seen_flag,
    clean_text(cinv_cin_visit_seen_alone) as seen_alone_raw,
    map_code('ssd_cin_visits.cinv_cin_visit_seen_alone', cinv_cin_visit_seen_alone)
        as seen_alone_flag
from source
