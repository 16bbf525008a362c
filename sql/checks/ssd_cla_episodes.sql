-- Check frame of ssd_cla_episodes, validated by its suite expectations/ssd_cla_episodes.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cla_episodes row. The key ('(no key) person <id>' when missing; _raw_key as
-- held); whether the person, worker and team ids join (_joins__<col>, which no single-table
-- expectation can see) and a person id would with its leading zeros (_zeros__<col>); every date
-- as a day number and whether it parsed at extraction (_parses__<col>); id and code columns
-- normalised for the placeholder check (_text__<col>); overlaps and dates of birth (issue 14).
select
    coalesce(
        cast(_t.clae_cla_episode_id as varchar),
        '(no key) ' || coalesce('person ' || clean_text(clae_person_id),
        'row ' || cast(_t._z_row as varchar))
    ) as clae_cla_episode_id,
    cast(_t.clae_cla_episode_id as varchar) as _raw_key,
    case
        when _t._z_p is null then false
        else _z_k.person_id is not null
    end as _joins__clae_person_id,
    clean_text(clae_person_id) as _child_id,
    case
        when _t._z_p is null or not regexp_full_match(_t._z_p, '[0-9]+')
            then true
        when _z_k.person_id is not null then true
        else _z_u.id is null
    end as _zeros__clae_person_id,
    lower(trim(cast(clae_person_id as varchar))) as _text__clae_person_id,
    lower(trim(cast(clae_cla_id as varchar))) as _text__clae_cla_id,
    lower(trim(cast(clae_cla_placement_id as varchar))) as _text__clae_cla_placement_id,
    cast(
        cast(clae_cla_episode_start_date as date) - date '1970-01-01' as integer
    ) as clae_cla_episode_start_date,
    coalesce(cast(_t.clae_cla_episode_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_cla_episodes' and u.col = 'clae_cla_episode_start_date'
    ), true) as _parses__clae_cla_episode_start_date,
    lower(trim(cast(clae_cla_episode_start_reason as varchar))) as _text__clae_cla_episode_start_reason,
    lower(trim(cast(clae_cla_primary_need_code as varchar))) as _text__clae_cla_primary_need_code,
    cast(
        cast(clae_cla_episode_ceased_date as date) - date '1970-01-01' as integer
    ) as clae_cla_episode_ceased_date,
    coalesce(cast(_t.clae_cla_episode_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_cla_episodes' and u.col = 'clae_cla_episode_ceased_date'
    ), true) as _parses__clae_cla_episode_ceased_date,
    lower(trim(cast(clae_cla_episode_ceased_reason as varchar))) as _text__clae_cla_episode_ceased_reason,
    lower(trim(cast(clae_referral_id as varchar))) as _text__clae_referral_id,
    cast(
        cast(clae_cla_last_iro_contact_date as date) - date '1970-01-01' as integer
    ) as clae_cla_last_iro_contact_date,
    coalesce(cast(_t.clae_cla_episode_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_cla_episodes' and u.col = 'clae_cla_last_iro_contact_date'
    ), true) as _parses__clae_cla_last_iro_contact_date,
    cast(
        cast(clae_entered_care_date as date) - date '1970-01-01' as integer
    ) as clae_entered_care_date,
    coalesce(cast(_t.clae_cla_episode_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_cla_episodes' and u.col = 'clae_entered_care_date'
    ), true) as _parses__clae_entered_care_date,
    not exists (
        select 1 from raw_ssd_cla_episodes as o
        where
            clean_text(o.clae_person_id) = clean_text(_t.clae_person_id)
            and cast(o.clae_cla_episode_id as varchar)
            is distinct from cast(_t.clae_cla_episode_id as varchar)
            and o.clae_cla_episode_start_date < coalesce(_t.clae_cla_episode_ceased_date, date '9999-12-31')
            and _t.clae_cla_episode_start_date < coalesce(o.clae_cla_episode_ceased_date, date '9999-12-31')
            and coalesce(o.clae_cla_episode_ceased_date, date '9999-12-31') >= o.clae_cla_episode_start_date
            and coalesce(_t.clae_cla_episode_ceased_date, date '9999-12-31') >= _t.clae_cla_episode_start_date
    ) as _no_overlap
from (select *, clean_text(clae_person_id) as _z_p, row_number() over () as _z_row
from raw_ssd_cla_episodes) as _t
left join chk_known_persons as _z_k on _z_k.person_id = _t._z_p
left join chk_known_persons_unzeroed as _z_u on _z_u.id = ltrim(_t._z_p, '0')
order by 1
