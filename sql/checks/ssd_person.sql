-- Check frame of ssd_person, validated by its suite expectations/ssd_person.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_person row. The key ('(no key) person <id>' when missing; _raw_key as
-- held); whether the person, worker and team ids join (_joins__<col>, which no single-table
-- expectation can see) and a person id would with its leading zeros (_zeros__<col>); every date
-- as a day number and whether it parsed at extraction (_parses__<col>); id and code columns
-- normalised for the placeholder check (_text__<col>); overlaps and dates of birth (issue 14).
select
    coalesce(
        cast(_t.pers_person_id as varchar),
        '(no key) ' || coalesce(null,
        'row ' || cast(_t._z_row as varchar))
    ) as pers_person_id,
    cast(_t.pers_person_id as varchar) as _raw_key,
    cast(null as varchar) as _child_id,
    lower(trim(cast(pers_legacy_id as varchar))) as _text__pers_legacy_id,
    lower(trim(cast(pers_sex as varchar))) as _text__pers_sex,
    lower(trim(cast(pers_gender as varchar))) as _text__pers_gender,
    lower(trim(cast(pers_ethnicity as varchar))) as _text__pers_ethnicity,
    cast(cast(pers_dob as date) - date '1970-01-01' as integer) as pers_dob,
    coalesce(cast(_t.pers_person_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_person' and u.col = 'pers_dob'
    ), true) as _parses__pers_dob,
    cast(cast(pers_expected_dob as date) - date '1970-01-01' as integer) as pers_expected_dob,
    coalesce(cast(_t.pers_person_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_person' and u.col = 'pers_expected_dob'
    ), true) as _parses__pers_expected_dob,
    cast(cast(pers_death_date as date) - date '1970-01-01' as integer) as pers_death_date,
    coalesce(cast(_t.pers_person_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_person' and u.col = 'pers_death_date'
    ), true) as _parses__pers_death_date,
    _z_d._z_two is null as _one_dob
from (select *, row_number() over () as _z_row from raw_ssd_person) as _t
left join (
    select clean_text(pers_person_id) as _z_id, true as _z_two
    from raw_ssd_person
    group by 1
    having min(pers_dob) < max(pers_dob)
) as _z_d on _z_d._z_id is not distinct from clean_text(_t.pers_person_id)
order by 1
