-- Staging: ssd_cin_assessments. Grain: one row per child and family assessment.
-- The NFA outcome comes from the flag, falling back to the outcome JSON key NFA_FLAG (mapped
-- through the same field's flag mapping, since the JSON has no mapping of its own).
with source as (
    select * from raw_ssd_cin_assessments
    -- a row without its key cannot be named on a list: left out, reported (key_not_null)
    where clean_text(cina_assessment_id) is not null
)

select
    clean_text(cina_assessment_id) as assessment_id,
    clean_text(cina_person_id) as person_id,
    clean_text(cina_referral_id) as referral_id,
    clean_date(cina_assessment_start_date) as start_date,
    clean_text(cina_assessment_child_seen) as child_seen_raw,
    map_code('ssd_cin_assessments.cina_assessment_child_seen', cina_assessment_child_seen)
        as child_seen_flag,
    clean_date(cina_assessment_auth_date) as auth_date,
    coalesce(
        map_code('ssd_cin_assessments.cina_assessment_outcome_nfa', cina_assessment_outcome_nfa),
        map_code(
            'ssd_cin_assessments.cina_assessment_outcome_nfa',
            try(json_extract_string(cina_assessment_outcome_json, '$.NFA_FLAG'))
        )
    ) as nfa_flag,
    clean_text(cina_assessment_team) as team_id,
    clean_text(cina_assessment_worker_id) as worker_raw
from source
