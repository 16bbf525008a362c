-- Check frame of ssd_legal_status, validated by its suite expectations/ssd_legal_status.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_legal_status row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(lega_legal_status_id as varchar) as lega_legal_status_id,
    case
        when clean_text(lega_person_id) is null then false
        else clean_text(lega_person_id) in (select person_id from chk_known_persons)
    end as _joins__lega_person_id,
    clean_text(lega_person_id) as _child_id,
    lower(trim(cast(lega_person_id as varchar))) as _text__lega_person_id,
    lower(trim(cast(lega_legal_status as varchar))) as _text__lega_legal_status,
    cast(
        cast(lega_legal_status_start_date as date) - date '1970-01-01' as integer
    ) as lega_legal_status_start_date,
    cast(
        cast(lega_legal_status_end_date as date) - date '1970-01-01' as integer
    ) as lega_legal_status_end_date
from raw_ssd_legal_status
