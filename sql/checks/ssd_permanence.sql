-- Check frame of ssd_permanence, validated by its suite expectations/ssd_permanence.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_permanence row. The key ('(no key) person <id>' when missing; _raw_key as
-- held); whether the person, worker and team ids join (_joins__<col>, which no single-table
-- expectation can see) and a person id would with its leading zeros (_zeros__<col>); every date
-- as a day number and whether it parsed at extraction (_parses__<col>); id and code columns
-- normalised for the placeholder check (_text__<col>); overlaps and dates of birth (issue 14).
select
    coalesce(
        cast(_t.perm_table_id as varchar),
        '(no key) ' || coalesce('person ' || clean_text(perm_person_id),
        'row ' || cast(_t._z_row as varchar))
    ) as perm_table_id,
    cast(_t.perm_table_id as varchar) as _raw_key,
    case
        when _t._z_p is null then false
        else _z_k.person_id is not null
    end as _joins__perm_person_id,
    clean_text(perm_person_id) as _child_id,
    case
        when _t._z_p is null or not regexp_full_match(_t._z_p, '[0-9]+')
            then true
        when _z_k.person_id is not null then true
        else _z_u.id is null
    end as _zeros__perm_person_id,
    lower(trim(cast(perm_person_id as varchar))) as _text__perm_person_id,
    lower(trim(cast(perm_cla_id as varchar))) as _text__perm_cla_id,
    cast(
        cast(perm_adm_decision_date as date) - date '1970-01-01' as integer
    ) as perm_adm_decision_date,
    coalesce(cast(_t.perm_table_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_permanence' and u.col = 'perm_adm_decision_date'
    ), true) as _parses__perm_adm_decision_date,
    cast(
        cast(perm_placement_order_date as date) - date '1970-01-01' as integer
    ) as perm_placement_order_date,
    coalesce(cast(_t.perm_table_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_permanence' and u.col = 'perm_placement_order_date'
    ), true) as _parses__perm_placement_order_date,
    cast(cast(perm_matched_date as date) - date '1970-01-01' as integer) as perm_matched_date,
    coalesce(cast(_t.perm_table_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_permanence' and u.col = 'perm_matched_date'
    ), true) as _parses__perm_matched_date,
    cast(
        cast(perm_placed_for_adoption_date as date) - date '1970-01-01' as integer
    ) as perm_placed_for_adoption_date,
    coalesce(cast(_t.perm_table_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_permanence' and u.col = 'perm_placed_for_adoption_date'
    ), true) as _parses__perm_placed_for_adoption_date,
    cast(
        cast(perm_placed_ffa_cp_date as date) - date '1970-01-01' as integer
    ) as perm_placed_ffa_cp_date,
    coalesce(cast(_t.perm_table_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_permanence' and u.col = 'perm_placed_ffa_cp_date'
    ), true) as _parses__perm_placed_ffa_cp_date,
    cast(
        cast(perm_decision_reversed_date as date) - date '1970-01-01' as integer
    ) as perm_decision_reversed_date,
    coalesce(cast(_t.perm_table_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_permanence' and u.col = 'perm_decision_reversed_date'
    ), true) as _parses__perm_decision_reversed_date,
    lower(trim(cast(perm_decision_reversed_reason as varchar))) as _text__perm_decision_reversed_reason,
    cast(
        cast(perm_permanence_order_date as date) - date '1970-01-01' as integer
    ) as perm_permanence_order_date,
    coalesce(cast(_t.perm_table_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_permanence' and u.col = 'perm_permanence_order_date'
    ), true) as _parses__perm_permanence_order_date,
    lower(trim(cast(perm_permanence_order_type as varchar))) as _text__perm_permanence_order_type,
    cast(
        cast(perm_placed_foster_carer_date as date) - date '1970-01-01' as integer
    ) as perm_placed_foster_carer_date,
    coalesce(cast(_t.perm_table_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_permanence' and u.col = 'perm_placed_foster_carer_date'
    ), true) as _parses__perm_placed_foster_carer_date,
    cast(
        cast(perm_ffa_cp_decision_date as date) - date '1970-01-01' as integer
    ) as perm_ffa_cp_decision_date,
    coalesce(cast(_t.perm_table_id as varchar) not in (
        select u.id from raw_unparseable_dates as u
        where u.tbl = 'ssd_permanence' and u.col = 'perm_ffa_cp_decision_date'
    ), true) as _parses__perm_ffa_cp_decision_date,
    lower(trim(cast(perm_adopter_family_id as varchar))) as _text__perm_adopter_family_id
from (select *, clean_text(perm_person_id) as _z_p, row_number() over () as _z_row
from raw_ssd_permanence) as _t
left join chk_known_persons as _z_k on _z_k.person_id = _t._z_p
left join chk_known_persons_unzeroed as _z_u on _z_u.id = ltrim(_t._z_p, '0')
order by _t._z_row
