-- Check frame of ssd_cp_plans, validated by its suite expectations/ssd_cp_plans.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cp_plans row. The key ('(no key) person <id>' when missing; _raw_key as
-- held); whether the person, worker and team ids join (_joins__<col>, which no single-table
-- expectation can see) and a person id would with its leading zeros (_zeros__<col>); every date
-- as a day number and whether it parsed at extraction (_parses__<col>); id and code columns
-- normalised for the placeholder check (_text__<col>); overlaps and dates of birth (issue 14).
select
    coalesce(
        cast(_t.cppl_cp_plan_id as varchar),
        '(no key) ' || coalesce('person ' || clean_text(cppl_person_id),
        'row ' || cast(_t._z_row as varchar))
    ) as cppl_cp_plan_id,
    cast(_t.cppl_cp_plan_id as varchar) as _raw_key,
    case
        when _t._z_p is null then false
        else _z_k.person_id is not null
    end as _joins__cppl_person_id,
    clean_text(cppl_person_id) as _child_id,
    case
        when _t._z_p is null or not regexp_full_match(_t._z_p, '[0-9]+')
            then true
        when _z_k.person_id is not null then true
        else _z_u.id is null
    end as _zeros__cppl_person_id,
    lower(trim(cast(cppl_referral_id as varchar))) as _text__cppl_referral_id,
    lower(trim(cast(cppl_icpc_id as varchar))) as _text__cppl_icpc_id,
    lower(trim(cast(cppl_person_id as varchar))) as _text__cppl_person_id,
    cast(
        cast(cppl_cp_plan_start_date as date) - date '1970-01-01' as integer
    ) as cppl_cp_plan_start_date,
    coalesce(cast(_t.cppl_cp_plan_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_cp_plans' and u.col = 'cppl_cp_plan_start_date'
    ), true) as _parses__cppl_cp_plan_start_date,
    cast(
        cast(cppl_cp_plan_end_date as date) - date '1970-01-01' as integer
    ) as cppl_cp_plan_end_date,
    coalesce(cast(_t.cppl_cp_plan_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_cp_plans' and u.col = 'cppl_cp_plan_end_date'
    ), true) as _parses__cppl_cp_plan_end_date,
    lower(trim(cast(cppl_cp_plan_initial_category as varchar))) as _text__cppl_cp_plan_initial_category,
    lower(trim(cast(cppl_cp_plan_latest_category as varchar))) as _text__cppl_cp_plan_latest_category,
    not exists (
        select 1 from raw_ssd_cp_plans as o
        where
            clean_text(o.cppl_person_id) = clean_text(_t.cppl_person_id)
            and cast(o.cppl_cp_plan_id as varchar)
            is distinct from cast(_t.cppl_cp_plan_id as varchar)
            and o.cppl_cp_plan_start_date < coalesce(_t.cppl_cp_plan_end_date, date '9999-12-31')
            and _t.cppl_cp_plan_start_date < coalesce(o.cppl_cp_plan_end_date, date '9999-12-31')
            and coalesce(o.cppl_cp_plan_end_date, date '9999-12-31') >= o.cppl_cp_plan_start_date
            and coalesce(_t.cppl_cp_plan_end_date, date '9999-12-31') >= _t.cppl_cp_plan_start_date
    ) as _no_overlap
from (select *, clean_text(cppl_person_id) as _z_p, row_number() over () as _z_row
from raw_ssd_cp_plans) as _t
left join chk_known_persons as _z_k on _z_k.person_id = _t._z_p
left join chk_known_persons_unzeroed as _z_u on _z_u.id = ltrim(_t._z_p, '0')
order by 1
