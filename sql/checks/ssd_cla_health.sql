-- Check frame of ssd_cla_health, validated by its suite expectations/ssd_cla_health.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cla_health row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(clah_health_check_id as varchar) as clah_health_check_id,
    case
        when clean_text(clah_person_id) is null then false
        else clean_text(clah_person_id) in (select person_id from chk_known_persons)
    end as _joins__clah_person_id,
    clean_text(clah_person_id) as _child_id,
    lower(trim(cast(clah_person_id as varchar))) as _text__clah_person_id,
    lower(trim(cast(clah_health_check_type as varchar))) as _text__clah_health_check_type,
    cast(
        cast(clah_health_check_date as date) - date '1970-01-01' as integer
    ) as clah_health_check_date,
    lower(trim(cast(clah_health_check_status as varchar))) as _text__clah_health_check_status
from raw_ssd_cla_health
