-- Check frame of ssd_cp_visits, validated by its suite expectations/ssd_cp_visits.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cp_visits row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(cppv_cp_visit_id as varchar) as cppv_cp_visit_id,
    case
        when clean_text(cppv_person_id) is null then true
        else clean_text(cppv_person_id) in (select person_id from chk_known_persons)
    end as _joins__cppv_person_id,
    clean_text(cppv_person_id) as _child_id,
    lower(trim(cast(cppv_person_id as varchar))) as _text__cppv_person_id,
    lower(trim(cast(cppv_cp_plan_id as varchar))) as _text__cppv_cp_plan_id,
    cast(cast(cppv_cp_visit_date as date) - date '1970-01-01' as integer) as cppv_cp_visit_date
from raw_ssd_cp_visits
