-- Check frame of ssd_permanence, validated by its suite expectations/ssd_permanence.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_permanence row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(perm_table_id as varchar) as perm_table_id,
    case
        when clean_text(perm_person_id) is null then false
        else clean_text(perm_person_id) in (select person_id from chk_known_persons)
    end as _joins__perm_person_id,
    clean_text(perm_person_id) as _child_id,
    lower(trim(cast(perm_person_id as varchar))) as _text__perm_person_id,
    lower(trim(cast(perm_cla_id as varchar))) as _text__perm_cla_id,
    cast(
        cast(perm_adm_decision_date as date) - date '1970-01-01' as integer
    ) as perm_adm_decision_date,
    cast(
        cast(perm_placement_order_date as date) - date '1970-01-01' as integer
    ) as perm_placement_order_date,
    cast(cast(perm_matched_date as date) - date '1970-01-01' as integer) as perm_matched_date,
    cast(
        cast(perm_placed_for_adoption_date as date) - date '1970-01-01' as integer
    ) as perm_placed_for_adoption_date,
    cast(
        cast(perm_placed_ffa_cp_date as date) - date '1970-01-01' as integer
    ) as perm_placed_ffa_cp_date,
    cast(
        cast(perm_decision_reversed_date as date) - date '1970-01-01' as integer
    ) as perm_decision_reversed_date,
    lower(trim(cast(perm_decision_reversed_reason as varchar))) as _text__perm_decision_reversed_reason,
    cast(
        cast(perm_permanence_order_date as date) - date '1970-01-01' as integer
    ) as perm_permanence_order_date,
    lower(trim(cast(perm_permanence_order_type as varchar))) as _text__perm_permanence_order_type,
    cast(
        cast(perm_placed_foster_carer_date as date) - date '1970-01-01' as integer
    ) as perm_placed_foster_carer_date,
    cast(
        cast(perm_ffa_cp_decision_date as date) - date '1970-01-01' as integer
    ) as perm_ffa_cp_decision_date,
    lower(trim(cast(perm_adopter_family_id as varchar))) as _text__perm_adopter_family_id
from raw_ssd_permanence
