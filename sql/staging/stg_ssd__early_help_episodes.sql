-- Staging: ssd_early_help_episodes. Grain: one row per early help episode.
-- The episode stands for the early help assessment (annex_a D13). The worker field is kept raw
-- only: LCS writes a placeholder there and Annex A does not use it.
with source as (
    select * from raw_ssd_early_help_episodes
    -- a row without its key cannot be named on a list: left out, reported (key_not_null)
    where clean_text(earl_episode_id) is not null
)

select
    clean_text(earl_episode_id) as episode_id,
    clean_text(earl_person_id) as person_id,
    clean_date(earl_episode_start_date) as start_date,
    clean_date(earl_episode_end_date) as end_date,
    clean_text(earl_episode_organisation) as organisation,
    clean_text(earl_episode_worker_id) as worker_raw
from source
