-- Check frame of ssd_initial_cp_conference, validated by its suite expectations/ssd_initial_cp_conference.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_initial_cp_conference row. The key ('(no key) person <id>' when missing; _raw_key as
-- held); whether the person, worker and team ids join (_joins__<col>, which no single-table
-- expectation can see) and a person id would with its leading zeros (_zeros__<col>); every date
-- as a day number and whether it parsed at extraction (_parses__<col>); id and code columns
-- normalised for the placeholder check (_text__<col>); overlaps and dates of birth (issue 14).
select
    coalesce(
        cast(_t.icpc_icpc_id as varchar),
        '(no key) ' || coalesce('person ' || clean_text(icpc_person_id),
        'row ' || cast(_t._z_row as varchar))
    ) as icpc_icpc_id,
    cast(_t.icpc_icpc_id as varchar) as _raw_key,
    case
        when _t._z_p is null then false
        else _z_k.person_id is not null
    end as _joins__icpc_person_id,
    clean_text(icpc_person_id) as _child_id,
    case
        when _t._z_p is null or not regexp_full_match(_t._z_p, '[0-9]+')
            then true
        when _z_k.person_id is not null then true
        else _z_u.id is null
    end as _zeros__icpc_person_id,
    lower(trim(cast(icpc_s47_enquiry_id as varchar))) as _text__icpc_s47_enquiry_id,
    lower(trim(cast(icpc_person_id as varchar))) as _text__icpc_person_id,
    lower(trim(cast(icpc_referral_id as varchar))) as _text__icpc_referral_id,
    lower(trim(cast(icpc_cp_plan_id as varchar))) as _text__icpc_cp_plan_id,
    cast(
        cast(icpc_icpc_target_date as date) - date '1970-01-01' as integer
    ) as icpc_icpc_target_date,
    coalesce(cast(_t.icpc_icpc_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_initial_cp_conference' and u.col = 'icpc_icpc_target_date'
    ), true) as _parses__icpc_icpc_target_date,
    cast(cast(icpc_icpc_date as date) - date '1970-01-01' as integer) as icpc_icpc_date,
    coalesce(cast(_t.icpc_icpc_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_initial_cp_conference' and u.col = 'icpc_icpc_date'
    ), true) as _parses__icpc_icpc_date
from (select *, clean_text(icpc_person_id) as _z_p, row_number() over () as _z_row
from raw_ssd_initial_cp_conference) as _t
left join chk_known_persons as _z_k on _z_k.person_id = _t._z_p
left join chk_known_persons_unzeroed as _z_u on _z_u.id = ltrim(_t._z_p, '0')
order by _t._z_row
