-- Check frame of ssd_cin_visits, validated by its suite expectations/ssd_cin_visits.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cin_visits row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(cinv_cin_visit_id as varchar) as cinv_cin_visit_id,
    case
        when clean_text(cinv_person_id) is null then false
        else clean_text(cinv_person_id) in (select person_id from chk_known_persons)
    end as _joins__cinv_person_id,
    clean_text(cinv_person_id) as _child_id,
    lower(trim(cast(cinv_person_id as varchar))) as _text__cinv_person_id,
    lower(trim(cast(cinv_cin_plan_id as varchar))) as _text__cinv_cin_plan_id,
    cast(cast(cinv_cin_visit_date as date) - date '1970-01-01' as integer) as cinv_cin_visit_date
from raw_ssd_cin_visits
