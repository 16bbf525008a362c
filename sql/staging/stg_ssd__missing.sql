-- Staging: ssd_missing (source_contract.md §4.22; problem 6).
-- Grain: one row per missing or away-from-placement episode. missing_type_code: M (missing) /
-- A (away / absent). Return interview flags: Y / N / NA (raw kept: null = not recorded).
with source as (
    select * from raw_ssd_missing
)

select
    clean_text(miss_table_id) as missing_id,
    clean_text(miss_person_id) as person_id,
    clean_date(miss_missing_episode_start_date) as start_date,
    clean_date(miss_missing_episode_end_date) as end_date,
    clean_text(miss_missing_episode_type) as missing_type_raw,
    map_code('ssd_missing.miss_missing_episode_type', miss_missing_episode_type)
        as missing_type_code,
    clean_text(miss_missing_rhi_offered) as rhi_offered_raw,
    map_code('ssd_missing.miss_missing_rhi_offered', miss_missing_rhi_offered)
        as rhi_offered_flag,
    clean_text(miss_missing_rhi_accepted) as rhi_accepted_raw,
    map_code('ssd_missing.miss_missing_rhi_accepted', miss_missing_rhi_accepted)
        as rhi_accepted_flag
from source
