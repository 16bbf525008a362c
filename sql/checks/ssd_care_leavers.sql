-- Check frame of ssd_care_leavers, validated by its suite expectations/ssd_care_leavers.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_care_leavers row. The key ('(no key) person <id>' when missing; _raw_key as
-- held); whether the person, worker and team ids join (_joins__<col>, which no single-table
-- expectation can see) and a person id would with its leading zeros (_zeros__<col>); every date
-- as a day number and whether it parsed at extraction (_parses__<col>); id and code columns
-- normalised for the placeholder check (_text__<col>); overlaps and dates of birth (issue 14).
select
    coalesce(
        cast(_t.clea_table_id as varchar),
        '(no key) ' || coalesce('person ' || clean_text(clea_person_id),
        'row ' || cast(_t._z_row as varchar))
    ) as clea_table_id,
    cast(_t.clea_table_id as varchar) as _raw_key,
    case
        when _t._z_p is null then false
        else _z_k.person_id is not null
    end as _joins__clea_person_id,
    clean_text(clea_person_id) as _child_id,
    case
        when _t._z_p is null or not regexp_full_match(_t._z_p, '[0-9]+')
            then true
        when _z_k.person_id is not null then true
        else _z_u.id is null
    end as _zeros__clea_person_id,
    case
        when clean_text(clea_care_leaver_allocated_team) is null then true
        else clean_text(clea_care_leaver_allocated_team) in (select id from chk_known_teams)
    end as _joins__clea_care_leaver_allocated_team,
    case
        when clean_text(clea_care_leaver_worker_id) is null then true
        else clean_text(clea_care_leaver_worker_id) in (select id from chk_known_workers)
    end as _joins__clea_care_leaver_worker_id,
    lower(trim(cast(clea_person_id as varchar))) as _text__clea_person_id,
    lower(trim(cast(clea_care_leaver_eligibility as varchar))) as _text__clea_care_leaver_eligibility,
    lower(trim(cast(clea_care_leaver_in_touch as varchar))) as _text__clea_care_leaver_in_touch,
    cast(
        cast(clea_care_leaver_latest_contact as date) - date '1970-01-01' as integer
    ) as clea_care_leaver_latest_contact,
    coalesce(cast(_t.clea_table_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_care_leavers' and u.col = 'clea_care_leaver_latest_contact'
    ), true) as _parses__clea_care_leaver_latest_contact,
    lower(trim(cast(clea_care_leaver_accommodation as varchar))) as _text__clea_care_leaver_accommodation,
    lower(trim(cast(clea_care_leaver_accom_suitable as varchar))) as _text__clea_care_leaver_accom_suitable,
    lower(trim(cast(clea_care_leaver_activity as varchar))) as _text__clea_care_leaver_activity,
    cast(
        cast(clea_pathway_plan_review_date as date) - date '1970-01-01' as integer
    ) as clea_pathway_plan_review_date,
    coalesce(cast(_t.clea_table_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_care_leavers' and u.col = 'clea_pathway_plan_review_date'
    ), true) as _parses__clea_pathway_plan_review_date,
    lower(trim(cast(clea_care_leaver_personal_advisor as varchar))) as _text__clea_care_leaver_personal_advisor,
    lower(trim(cast(clea_care_leaver_allocated_team as varchar))) as _text__clea_care_leaver_allocated_team,
    lower(trim(cast(clea_care_leaver_worker_id as varchar))) as _text__clea_care_leaver_worker_id
from (select *, clean_text(clea_person_id) as _z_p, row_number() over () as _z_row
from raw_ssd_care_leavers) as _t
left join chk_known_persons as _z_k on _z_k.person_id = _t._z_p
left join chk_known_persons_unzeroed as _z_u on _z_u.id = ltrim(_t._z_p, '0')
order by _t._z_row
