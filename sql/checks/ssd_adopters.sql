-- Check frame of ssd_adopters, validated by its suite expectations/ssd_adopters.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_adopters row. The key ('(no key) person <id>' when missing; _raw_key as
-- held); whether the person, worker and team ids join (_joins__<col>, which no single-table
-- expectation can see) and a person id would with its leading zeros (_zeros__<col>); every date
-- as a day number and whether it parsed at extraction (_parses__<col>); id and code columns
-- normalised for the placeholder check (_text__<col>); overlaps and dates of birth (issue 14).
select
    coalesce(
        cast(_t.adop_adopter_id as varchar),
        '(no key) ' || coalesce(null,
        'row ' || cast(row_number() over () as varchar))
    ) as adop_adopter_id,
    cast(_t.adop_adopter_id as varchar) as _raw_key,
    cast(null as varchar) as _child_id,
    lower(trim(cast(adop_family_id as varchar))) as _text__adop_family_id,
    lower(trim(cast(adop_sex as varchar))) as _text__adop_sex,
    lower(trim(cast(adop_ethnicity as varchar))) as _text__adop_ethnicity,
    cast(cast(adop_enquiry_date as date) - date '1970-01-01' as integer) as adop_enquiry_date,
    coalesce(cast(_t.adop_adopter_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_adopters' and u.col = 'adop_enquiry_date'
    ), true) as _parses__adop_enquiry_date,
    cast(
        cast(adop_stage1_start_date as date) - date '1970-01-01' as integer
    ) as adop_stage1_start_date,
    coalesce(cast(_t.adop_adopter_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_adopters' and u.col = 'adop_stage1_start_date'
    ), true) as _parses__adop_stage1_start_date,
    cast(cast(adop_stage1_end_date as date) - date '1970-01-01' as integer) as adop_stage1_end_date,
    coalesce(cast(_t.adop_adopter_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_adopters' and u.col = 'adop_stage1_end_date'
    ), true) as _parses__adop_stage1_end_date,
    cast(
        cast(adop_stage2_start_date as date) - date '1970-01-01' as integer
    ) as adop_stage2_start_date,
    coalesce(cast(_t.adop_adopter_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_adopters' and u.col = 'adop_stage2_start_date'
    ), true) as _parses__adop_stage2_start_date,
    cast(cast(adop_stage2_end_date as date) - date '1970-01-01' as integer) as adop_stage2_end_date,
    coalesce(cast(_t.adop_adopter_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_adopters' and u.col = 'adop_stage2_end_date'
    ), true) as _parses__adop_stage2_end_date,
    cast(
        cast(adop_application_date as date) - date '1970-01-01' as integer
    ) as adop_application_date,
    coalesce(cast(_t.adop_adopter_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_adopters' and u.col = 'adop_application_date'
    ), true) as _parses__adop_application_date,
    cast(cast(adop_approval_date as date) - date '1970-01-01' as integer) as adop_approval_date,
    coalesce(cast(_t.adop_adopter_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_adopters' and u.col = 'adop_approval_date'
    ), true) as _parses__adop_approval_date,
    cast(cast(adop_matched_date as date) - date '1970-01-01' as integer) as adop_matched_date,
    coalesce(cast(_t.adop_adopter_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_adopters' and u.col = 'adop_matched_date'
    ), true) as _parses__adop_matched_date,
    cast(cast(adop_placed_date as date) - date '1970-01-01' as integer) as adop_placed_date,
    coalesce(cast(_t.adop_adopter_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_adopters' and u.col = 'adop_placed_date'
    ), true) as _parses__adop_placed_date,
    cast(
        cast(adop_adoption_order_date as date) - date '1970-01-01' as integer
    ) as adop_adoption_order_date,
    coalesce(cast(_t.adop_adopter_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_adopters' and u.col = 'adop_adoption_order_date'
    ), true) as _parses__adop_adoption_order_date,
    cast(
        cast(adop_left_process_date as date) - date '1970-01-01' as integer
    ) as adop_left_process_date,
    coalesce(cast(_t.adop_adopter_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_adopters' and u.col = 'adop_left_process_date'
    ), true) as _parses__adop_left_process_date,
    lower(trim(cast(adop_left_process_reason as varchar))) as _text__adop_left_process_reason
from raw_ssd_adopters as _t
