-- Check frame of ssd_cla_episodes, validated by its suite expectations/ssd_cla_episodes.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cla_episodes row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(clae_cla_episode_id as varchar) as clae_cla_episode_id,
    case
        when clean_text(clae_person_id) is null then false
        else clean_text(clae_person_id) in (select person_id from chk_known_persons)
    end as _joins__clae_person_id,
    clean_text(clae_person_id) as _child_id,
    lower(trim(cast(clae_person_id as varchar))) as _text__clae_person_id,
    lower(trim(cast(clae_cla_id as varchar))) as _text__clae_cla_id,
    lower(trim(cast(clae_cla_placement_id as varchar))) as _text__clae_cla_placement_id,
    cast(
        cast(clae_cla_episode_start_date as date) - date '1970-01-01' as integer
    ) as clae_cla_episode_start_date,
    lower(trim(cast(clae_cla_episode_start_reason as varchar))) as _text__clae_cla_episode_start_reason,
    lower(trim(cast(clae_cla_primary_need_code as varchar))) as _text__clae_cla_primary_need_code,
    cast(
        cast(clae_cla_episode_ceased_date as date) - date '1970-01-01' as integer
    ) as clae_cla_episode_ceased_date,
    lower(trim(cast(clae_cla_episode_ceased_reason as varchar))) as _text__clae_cla_episode_ceased_reason,
    lower(trim(cast(clae_referral_id as varchar))) as _text__clae_referral_id,
    cast(
        cast(clae_cla_last_iro_contact_date as date) - date '1970-01-01' as integer
    ) as clae_cla_last_iro_contact_date,
    cast(
        cast(clae_entered_care_date as date) - date '1970-01-01' as integer
    ) as clae_entered_care_date
from raw_ssd_cla_episodes
