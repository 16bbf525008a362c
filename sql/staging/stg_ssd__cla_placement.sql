-- Staging: ssd_cla_placement (source_contract.md §4.17, §6.5; problem 24).
-- Grain: one row per placement within a period of care. Placement type and provider mapped to
-- national codes (raw kept beside them); postcode normalised: upper case, spaces removed
-- (postcode_key, the lookup key of ref_postcode), shown with one space before the last three
-- characters (postcode). special_kind: CON / NUK when the LA mapping declares the placement
-- confidential or outside the UK (ref_special_placement), else null. placement_subtype_code: the
-- SSDA903's 2025/26 sub-code of "other placement" (Z11-Z14) when the raw value leads with one;
-- the type itself is then Z1, Annex A's code (reference/national.yaml), while the 903 reports
-- the sub-code (ret_903__episodes).
with source as (
    select * from raw_ssd_cla_placement
),

cleaned as (
    select
        clean_text(clap_cla_placement_id) as placement_id,
        clean_text(clap_cla_id) as period_of_care_id,
        clean_text(clap_person_id) as person_id,
        clean_date(clap_cla_placement_start_date) as start_date,
        clean_date(clap_cla_placement_end_date) as end_date,
        clean_text(clap_cla_placement_type) as placement_type_raw,
        map_code('ssd_cla_placement.clap_cla_placement_type', clap_cla_placement_type)
            as placement_type_code,
        clean_text(clap_cla_placement_provider) as provider_raw,
        map_code('ssd_cla_placement.clap_cla_placement_provider', clap_cla_placement_provider)
            as provider_code,
        upper(regexp_replace(clean_text(clap_cla_placement_postcode), '\s+', '', 'g'))
            as postcode_key,
        clean_text(clap_cla_placement_urn) as urn,
        clean_text(clap_cla_placement_change_reason) as change_reason_code
    from source
)

select
    *,
    case
        when placement_type_code = 'Z1'
            then
                upper(
                    nullif(
                        regexp_extract(placement_type_raw, '^([Zz]1[1-4])([^0-9A-Za-z]|$)', 1),
                        ''
                    )
                )
    end as placement_subtype_code,
    case
        when length(postcode_key) >= 5
            then left(postcode_key, length(postcode_key) - 3) || ' ' || right(postcode_key, 3)
        else postcode_key
    end as postcode,
    (
        select min(s.kind)
        from ref_special_placement as s
        where s.placement_id = cleaned.placement_id
    ) as special_kind
from cleaned
