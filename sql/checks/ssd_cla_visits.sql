-- Check frame of ssd_cla_visits, validated by its suite expectations/ssd_cla_visits.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cla_visits row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(clav_cla_visit_id as varchar) as clav_cla_visit_id,
    case
        when clean_text(clav_person_id) is null then false
        else clean_text(clav_person_id) in (select person_id from chk_known_persons)
    end as _joins__clav_person_id,
    clean_text(clav_person_id) as _child_id,
    lower(trim(cast(clav_cla_id as varchar))) as _text__clav_cla_id,
    lower(trim(cast(clav_person_id as varchar))) as _text__clav_person_id,
    cast(cast(clav_cla_visit_date as date) - date '1970-01-01' as integer) as clav_cla_visit_date
from raw_ssd_cla_visits
