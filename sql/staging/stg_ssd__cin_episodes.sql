-- Staging: ssd_cin_episodes. Grain: one row per referral (CIN episode).
-- Source mapped from the code field, falling back to the description; flags and codes mapped to
-- national codes; raw values kept beside mapped ones so "no value" and "unmapped" stay distinct.
with source as (
    select * from raw_ssd_cin_episodes
    -- a row without its key cannot be named on a list: left out, reported (key_not_null)
    where clean_text(cine_referral_id) is not null
)

select
    clean_text(cine_referral_id) as referral_id,
    clean_text(cine_person_id) as person_id,
    clean_date(cine_referral_date) as referral_date,
    coalesce(
        map_code('ssd_cin_episodes.cine_referral_source_code', cine_referral_source_code),
        map_code('ssd_cin_episodes.cine_referral_source_desc', cine_referral_source_desc)
    ) as source_code,
    clean_text(cine_referral_nfa) as nfa_raw,
    map_code('ssd_cin_episodes.cine_referral_nfa', cine_referral_nfa) as nfa_flag,
    map_code('ssd_cin_episodes.cine_cin_primary_need_code', cine_cin_primary_need_code)
        as primary_need_code,
    clean_date(cine_close_date) as close_date,
    map_code('ssd_cin_episodes.cine_close_reason', cine_close_reason) as close_reason,
    clean_text(cine_referral_team) as team_id,
    clean_text(cine_referral_worker_id) as worker_raw
from source
