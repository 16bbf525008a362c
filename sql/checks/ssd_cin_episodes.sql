-- Check frame of ssd_cin_episodes, validated by its suite expectations/ssd_cin_episodes.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cin_episodes row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(cine_referral_id as varchar) as cine_referral_id,
    case
        when clean_text(cine_person_id) is null then false
        else clean_text(cine_person_id) in (select person_id from chk_known_persons)
    end as _joins__cine_person_id,
    clean_text(cine_person_id) as _child_id,
    case
        when clean_text(cine_referral_team) is null then true
        else clean_text(cine_referral_team) in (select id from chk_known_teams)
    end as _joins__cine_referral_team,
    lower(trim(cast(cine_person_id as varchar))) as _text__cine_person_id,
    cast(cast(cine_referral_date as date) - date '1970-01-01' as integer) as cine_referral_date,
    lower(trim(cast(cine_referral_source_code as varchar))) as _text__cine_referral_source_code,
    lower(trim(cast(cine_cin_primary_need_code as varchar))) as _text__cine_cin_primary_need_code,
    cast(cast(cine_close_date as date) - date '1970-01-01' as integer) as cine_close_date,
    lower(trim(cast(cine_close_reason as varchar))) as _text__cine_close_reason,
    lower(trim(cast(cine_referral_team as varchar))) as _text__cine_referral_team,
    lower(trim(cast(cine_referral_worker_id as varchar))) as _text__cine_referral_worker_id
from raw_ssd_cin_episodes
