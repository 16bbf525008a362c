-- Check frame of ssd_disability, validated by its suite expectations/ssd_disability.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_disability row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(disa_table_id as varchar) as disa_table_id,
    case
        when clean_text(disa_person_id) is null then false
        else clean_text(disa_person_id) in (select person_id from chk_known_persons)
    end as _joins__disa_person_id,
    clean_text(disa_person_id) as _child_id,
    lower(trim(cast(disa_person_id as varchar))) as _text__disa_person_id,
    lower(trim(cast(disa_disability_code as varchar))) as _text__disa_disability_code
from raw_ssd_disability
