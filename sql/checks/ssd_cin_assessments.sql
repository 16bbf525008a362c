-- Check frame of ssd_cin_assessments, validated by its suite expectations/ssd_cin_assessments.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cin_assessments row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(cina_assessment_id as varchar) as cina_assessment_id,
    case
        when clean_text(cina_person_id) is null then false
        else clean_text(cina_person_id) in (select person_id from chk_known_persons)
    end as _joins__cina_person_id,
    clean_text(cina_person_id) as _child_id,
    case
        when clean_text(cina_assessment_team) is null then true
        else clean_text(cina_assessment_team) in (select id from chk_known_teams)
    end as _joins__cina_assessment_team,
    lower(trim(cast(cina_person_id as varchar))) as _text__cina_person_id,
    lower(trim(cast(cina_referral_id as varchar))) as _text__cina_referral_id,
    cast(
        cast(cina_assessment_start_date as date) - date '1970-01-01' as integer
    ) as cina_assessment_start_date,
    cast(
        cast(cina_assessment_auth_date as date) - date '1970-01-01' as integer
    ) as cina_assessment_auth_date,
    lower(trim(cast(cina_assessment_team as varchar))) as _text__cina_assessment_team,
    lower(trim(cast(cina_assessment_worker_id as varchar))) as _text__cina_assessment_worker_id
from raw_ssd_cin_assessments
