-- Staging: ssd_cla_visits (source_contract.md §4.19).
-- Grain: one row per statutory looked-after visit. period_of_care_id may be null (visits link
-- to a period by person and date).
with source as (
    select * from raw_ssd_cla_visits
)

select
    clean_text(clav_cla_visit_id) as visit_id,
    clean_text(clav_cla_id) as period_of_care_id,
    clean_text(clav_person_id) as person_id,
    clean_date(clav_cla_visit_date) as visit_date,
    clean_text(clav_cla_visit_seen) as seen_raw,
    map_code('ssd_cla_visits.clav_cla_visit_seen', clav_cla_visit_seen) as seen_flag,
    clean_text(clav_cla_visit_seen_alone) as seen_alone_raw,
    map_code('ssd_cla_visits.clav_cla_visit_seen_alone', clav_cla_visit_seen_alone)
        as seen_alone_flag
from source
