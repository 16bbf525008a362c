-- Check frame of ssd_cin_episodes, validated by its suite expectations/ssd_cin_episodes.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cin_episodes row. The key ('(no key) person <id>' when missing; _raw_key as
-- held); whether the person, worker and team ids join (_joins__<col>, which no single-table
-- expectation can see) and a person id would with its leading zeros (_zeros__<col>); every date
-- as a day number and whether it parsed at extraction (_parses__<col>); id and code columns
-- normalised for the placeholder check (_text__<col>); overlaps and dates of birth (issue 14).
select
    coalesce(
        cast(_t.cine_referral_id as varchar),
        '(no key) ' || coalesce('person ' || clean_text(cine_person_id),
        'row ' || cast(_t._z_row as varchar))
    ) as cine_referral_id,
    cast(_t.cine_referral_id as varchar) as _raw_key,
    case
        when _t._z_p is null then false
        else _z_k.person_id is not null
    end as _joins__cine_person_id,
    clean_text(cine_person_id) as _child_id,
    case
        when _t._z_p is null or not regexp_full_match(_t._z_p, '[0-9]+')
            then true
        when _z_k.person_id is not null then true
        else _z_u.id is null
    end as _zeros__cine_person_id,
    case
        when clean_text(cine_referral_team) is null then true
        else clean_text(cine_referral_team) in (select id from chk_known_teams)
    end as _joins__cine_referral_team,
    lower(trim(cast(cine_person_id as varchar))) as _text__cine_person_id,
    cast(cast(cine_referral_date as date) - date '1970-01-01' as integer) as cine_referral_date,
    coalesce(cast(_t.cine_referral_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_cin_episodes' and u.col = 'cine_referral_date'
    ), true) as _parses__cine_referral_date,
    lower(trim(cast(cine_referral_source_code as varchar))) as _text__cine_referral_source_code,
    lower(trim(cast(cine_cin_primary_need_code as varchar))) as _text__cine_cin_primary_need_code,
    cast(cast(cine_close_date as date) - date '1970-01-01' as integer) as cine_close_date,
    coalesce(cast(_t.cine_referral_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_cin_episodes' and u.col = 'cine_close_date'
    ), true) as _parses__cine_close_date,
    lower(trim(cast(cine_close_reason as varchar))) as _text__cine_close_reason,
    lower(trim(cast(cine_referral_team as varchar))) as _text__cine_referral_team,
    lower(trim(cast(cine_referral_worker_id as varchar))) as _text__cine_referral_worker_id
from (select *, clean_text(cine_person_id) as _z_p, row_number() over () as _z_row
from raw_ssd_cin_episodes) as _t
left join chk_known_persons as _z_k on _z_k.person_id = _t._z_p
left join chk_known_persons_unzeroed as _z_u on _z_u.id = ltrim(_t._z_p, '0')
order by _t._z_row
