-- Staging: ssd_cla_episodes (source_contract.md §4.15).
-- Grain: one row per SSDA903 episode; period_of_care_id groups the episodes of a period.
with source as (
    select * from raw_ssd_cla_episodes
    -- a row without its key cannot be named on a list: left out, reported (key_not_null)
    where clean_text(clae_cla_episode_id) is not null
)

select
    clean_text(clae_cla_episode_id) as episode_id,
    clean_text(clae_person_id) as person_id,
    clean_text(clae_cla_id) as period_of_care_id,
    clean_text(clae_cla_placement_id) as placement_id,
    clean_date(clae_cla_episode_start_date) as episode_start_date,
    map_code('ssd_cla_episodes.clae_cla_episode_start_reason', clae_cla_episode_start_reason)
        as start_reason_code,
    map_code('ssd_cla_episodes.clae_cla_primary_need_code', clae_cla_primary_need_code)
        as primary_need_code,
    clean_date(clae_cla_episode_ceased_date) as episode_ceased_date,
    map_code('ssd_cla_episodes.clae_cla_episode_ceased_reason', clae_cla_episode_ceased_reason)
        as ceased_reason_code,
    clean_text(clae_referral_id) as referral_id,
    clean_date(clae_cla_last_iro_contact_date) as last_iro_contact_date,
    clean_date(clae_entered_care_date) as entered_care_date
from source
