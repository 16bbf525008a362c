-- Staging: ssd_permanence (source_contract.md §4.24, §8.2).
-- Grain: one row per permanence record (the SSD keeps the latest per child).
-- source_person_id is perm_person_id as held: in LCS it is the legacy id (§7 problem 11).
with source as (
    select * from raw_ssd_permanence
)

select
    clean_text(perm_table_id) as permanence_id,
    clean_text(perm_person_id) as source_person_id,
    clean_text(perm_cla_id) as period_of_care_id,
    clean_date(perm_adm_decision_date) as decision_date,
    clean_date(perm_placement_order_date) as placement_order_date,
    clean_date(perm_matched_date) as matched_date,
    clean_date(perm_placed_for_adoption_date) as placed_for_adoption_date,
    clean_date(perm_placed_ffa_cp_date) as placed_ffa_cp_date,
    clean_date(perm_decision_reversed_date) as decision_reversed_date,
    map_code('ssd_permanence.perm_decision_reversed_reason', perm_decision_reversed_reason)
        as decision_reversed_reason_code,
    clean_date(perm_permanence_order_date) as permanence_order_date,
    map_code('ssd_permanence.perm_permanence_order_type', perm_permanence_order_type)
        as permanence_order_type_code,
    map_code('ssd_permanence.perm_adopted_by_carer_flag', perm_adopted_by_carer_flag)
        as adopted_by_carer_flag,
    clean_date(perm_placed_foster_carer_date) as placed_foster_carer_date,
    clean_date(perm_ffa_cp_decision_date) as ffa_cp_decision_date,
    clean_text(perm_adopter_family_id) as adopter_family_id
from source
