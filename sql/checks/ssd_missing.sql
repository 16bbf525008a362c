-- Check frame of ssd_missing, validated by its suite expectations/ssd_missing.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_missing row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(miss_table_id as varchar) as miss_table_id,
    case
        when clean_text(miss_person_id) is null then false
        else clean_text(miss_person_id) in (select person_id from chk_known_persons)
    end as _joins__miss_person_id,
    clean_text(miss_person_id) as _child_id,
    lower(trim(cast(miss_person_id as varchar))) as _text__miss_person_id,
    cast(
        cast(miss_missing_episode_start_date as date) - date '1970-01-01' as integer
    ) as miss_missing_episode_start_date,
    cast(
        cast(miss_missing_episode_end_date as date) - date '1970-01-01' as integer
    ) as miss_missing_episode_end_date,
    lower(trim(cast(miss_missing_episode_type as varchar))) as _text__miss_missing_episode_type
from raw_ssd_missing
