-- Check frame of ssd_initial_cp_conference, validated by its suite expectations/ssd_initial_cp_conference.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_initial_cp_conference row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(icpc_icpc_id as varchar) as icpc_icpc_id,
    case
        when clean_text(icpc_person_id) is null then false
        else clean_text(icpc_person_id) in (select person_id from chk_known_persons)
    end as _joins__icpc_person_id,
    clean_text(icpc_person_id) as _child_id,
    lower(trim(cast(icpc_s47_enquiry_id as varchar))) as _text__icpc_s47_enquiry_id,
    lower(trim(cast(icpc_person_id as varchar))) as _text__icpc_person_id,
    lower(trim(cast(icpc_referral_id as varchar))) as _text__icpc_referral_id,
    lower(trim(cast(icpc_cp_plan_id as varchar))) as _text__icpc_cp_plan_id,
    cast(
        cast(icpc_icpc_target_date as date) - date '1970-01-01' as integer
    ) as icpc_icpc_target_date,
    cast(cast(icpc_icpc_date as date) - date '1970-01-01' as integer) as icpc_icpc_date
from raw_ssd_initial_cp_conference
