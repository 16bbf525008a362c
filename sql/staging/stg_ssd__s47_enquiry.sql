-- Staging: ssd_s47_enquiry. Grain: one row per section 47 enquiry.
-- conference_flag = the outcome JSON key CP_CONFERENCE_FLAG (an ICPC is required), mapped
-- through the enquiry's flag mapping (the JSON has no mapping of its own).
with source as (
    select * from raw_ssd_s47_enquiry
    -- a row without its key cannot be named on a list: left out, reported (key_not_null)
    where clean_text(s47e_s47_enquiry_id) is not null
)

select
    clean_text(s47e_s47_enquiry_id) as enquiry_id,
    clean_text(s47e_referral_id) as referral_id,
    clean_text(s47e_person_id) as person_id,
    clean_date(s47e_s47_start_date) as start_date,
    clean_date(s47e_s47_end_date) as end_date,
    map_code('ssd_s47_enquiry.s47e_s47_nfa', s47e_s47_nfa) as nfa_flag,
    map_code(
        'ssd_s47_enquiry.s47e_s47_nfa',
        try(json_extract_string(s47e_s47_outcome_json, '$.CP_CONFERENCE_FLAG'))
    ) as conference_flag,
    clean_text(s47e_s47_completed_by_team) as team_id,
    clean_text(s47e_s47_completed_by_worker_id) as worker_raw
from source
