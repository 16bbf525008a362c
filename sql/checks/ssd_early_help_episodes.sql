-- Check frame of ssd_early_help_episodes, validated by its suite expectations/ssd_early_help_episodes.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_early_help_episodes row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(earl_episode_id as varchar) as earl_episode_id,
    case
        when clean_text(earl_person_id) is null then false
        else clean_text(earl_person_id) in (select person_id from chk_known_persons)
    end as _joins__earl_person_id,
    clean_text(earl_person_id) as _child_id,
    lower(trim(cast(earl_person_id as varchar))) as _text__earl_person_id,
    cast(
        cast(earl_episode_start_date as date) - date '1970-01-01' as integer
    ) as earl_episode_start_date,
    cast(
        cast(earl_episode_end_date as date) - date '1970-01-01' as integer
    ) as earl_episode_end_date,
    lower(trim(cast(earl_episode_worker_id as varchar))) as _text__earl_episode_worker_id
from raw_ssd_early_help_episodes
