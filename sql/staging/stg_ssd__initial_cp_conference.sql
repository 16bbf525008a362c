-- Staging: ssd_initial_cp_conference. Grain: one row per initial child protection conference per
-- child. outcome_cp_flag: the outcome flag, else Y when a plan is linked, else the outcome JSON
-- key CP_FLAG (source_contract.md §5.6).
with source as (
    select * from raw_ssd_initial_cp_conference
)

select
    clean_text(icpc_icpc_id) as icpc_id,
    clean_text(icpc_s47_enquiry_id) as enquiry_id,
    clean_text(icpc_person_id) as person_id,
    clean_text(icpc_referral_id) as referral_id,
    clean_text(icpc_cp_plan_id) as cp_plan_id,
    map_code('ssd_initial_cp_conference.icpc_icpc_transfer_in', icpc_icpc_transfer_in)
        as transfer_in_flag,
    clean_date(icpc_icpc_target_date) as target_date,
    clean_date(icpc_icpc_date) as icpc_date,
    coalesce(
        map_code('ssd_initial_cp_conference.icpc_icpc_outcome_cp_flag', icpc_icpc_outcome_cp_flag),
        case when clean_text(icpc_cp_plan_id) is not null then 'Y' end,
        map_code(
            'ssd_initial_cp_conference.icpc_icpc_outcome_cp_flag',
            try(json_extract_string(icpc_icpc_outcome_json, '$.CP_FLAG'))
        )
    ) as outcome_cp_flag
from source
