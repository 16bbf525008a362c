-- Staging: ssd_involvements. Grain: one row per worker allocation to a child.
-- role_code: CW (allocated case worker), PA (personal adviser) or OTHER.
with source as (
    select * from raw_ssd_involvements
)

select
    clean_text(invo_involvements_id) as involvement_id,
    clean_text(invo_professional_id) as professional_id,
    map_code('ssd_involvements.invo_professional_role_id', invo_professional_role_id) as role_code,
    clean_text(invo_professional_team) as team_id,
    clean_text(invo_person_id) as person_id,
    clean_text(invo_referral_id) as referral_id,
    clean_date(invo_involvement_start_date) as start_date,
    clean_date(invo_involvement_end_date) as end_date,
    clean_text(invo_worker_change_reason) as change_reason
from source
