-- Check frame of ssd_involvements, validated by its suite expectations/ssd_involvements.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_involvements row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(invo_involvements_id as varchar) as invo_involvements_id,
    case
        when clean_text(invo_person_id) is null then false
        else clean_text(invo_person_id) in (select person_id from chk_known_persons)
    end as _joins__invo_person_id,
    clean_text(invo_person_id) as _child_id,
    case
        when clean_text(invo_professional_id) is null then true
        else clean_text(invo_professional_id) in (select id from chk_known_workers)
    end as _joins__invo_professional_id,
    case
        when clean_text(invo_professional_team) is null then true
        else clean_text(invo_professional_team) in (select id from chk_known_teams)
    end as _joins__invo_professional_team,
    lower(trim(cast(invo_professional_id as varchar))) as _text__invo_professional_id,
    lower(trim(cast(invo_professional_role_id as varchar))) as _text__invo_professional_role_id,
    lower(trim(cast(invo_professional_team as varchar))) as _text__invo_professional_team,
    lower(trim(cast(invo_person_id as varchar))) as _text__invo_person_id,
    lower(trim(cast(invo_referral_id as varchar))) as _text__invo_referral_id,
    cast(
        cast(invo_involvement_start_date as date) - date '1970-01-01' as integer
    ) as invo_involvement_start_date,
    cast(
        cast(invo_involvement_end_date as date) - date '1970-01-01' as integer
    ) as invo_involvement_end_date,
    lower(trim(cast(invo_worker_change_reason as varchar))) as _text__invo_worker_change_reason
from raw_ssd_involvements
