-- Check frame of ssd_cla_placement, validated by its suite expectations/ssd_cla_placement.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cla_placement row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(clap_cla_placement_id as varchar) as clap_cla_placement_id,
    case
        when clean_text(clap_person_id) is null then true
        else clean_text(clap_person_id) in (select person_id from chk_known_persons)
    end as _joins__clap_person_id,
    clean_text(clap_person_id) as _child_id,
    lower(trim(cast(clap_cla_id as varchar))) as _text__clap_cla_id,
    lower(trim(cast(clap_person_id as varchar))) as _text__clap_person_id,
    cast(
        cast(clap_cla_placement_start_date as date) - date '1970-01-01' as integer
    ) as clap_cla_placement_start_date,
    cast(
        cast(clap_cla_placement_end_date as date) - date '1970-01-01' as integer
    ) as clap_cla_placement_end_date,
    lower(trim(cast(clap_cla_placement_type as varchar))) as _text__clap_cla_placement_type,
    lower(trim(cast(clap_cla_placement_provider as varchar))) as _text__clap_cla_placement_provider,
    lower(trim(cast(clap_cla_placement_change_reason as varchar))) as _text__clap_cla_placement_change_reason
from raw_ssd_cla_placement
