-- Check frame of ssd_person, validated by its suite expectations/ssd_person.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_person row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(pers_person_id as varchar) as pers_person_id,
    cast(null as varchar) as _child_id,
    lower(trim(cast(pers_legacy_id as varchar))) as _text__pers_legacy_id,
    lower(trim(cast(pers_sex as varchar))) as _text__pers_sex,
    lower(trim(cast(pers_gender as varchar))) as _text__pers_gender,
    lower(trim(cast(pers_ethnicity as varchar))) as _text__pers_ethnicity,
    cast(cast(pers_dob as date) - date '1970-01-01' as integer) as pers_dob,
    cast(cast(pers_expected_dob as date) - date '1970-01-01' as integer) as pers_expected_dob,
    cast(cast(pers_death_date as date) - date '1970-01-01' as integer) as pers_death_date
from raw_ssd_person
