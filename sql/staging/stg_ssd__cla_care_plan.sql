-- Staging: ssd_cla_care_plan (source_contract.md §4.20, §6.3; problem 20; D22).
-- Grain: one row per permanence-plan record. The JSON is parsed leniently (json_invalid =
-- unparseable or not an object: no plan, reported). A key counts as chosen when its value is
-- one of ref_permanence_chosen (Y, Yes, True, 1); keys are compared case-insensitively and map
-- to CS-PERM codes through ref_permanence_key. permanence_code = the chosen code first in the
-- D22 order; permanence_options = the distinct chosen codes in that order (several -> warning).
with source as (
    select * from raw_ssd_cla_care_plan
),

cleaned as (
    select
        clean_text(lacp_table_id) as care_plan_id,
        clean_text(lacp_person_id) as person_id,
        clean_date(lacp_cla_care_plan_start_date) as start_date,
        clean_date(lacp_cla_care_plan_end_date) as end_date,
        clean_text(lacp_cla_care_plan_json) as plan_json
    from source
),

chosen_codes as (
    select distinct
        c.care_plan_id,
        k.code,
        k.precedence
    from cleaned as c
    -- a lateral subquery (it reads c.plan_json), so it cannot be a CTE
    cross join
        lateral (  -- noqa: ST05
            select unnest(try(json_keys(c.plan_json))) as json_key
        ) as j
    inner join ref_permanence_key as k on upper(trim(j.json_key)) = k.json_key
    where
        upper(trim(try(json_extract_string(c.plan_json, '$."' || j.json_key || '"'))))
        in (select r.value from ref_permanence_chosen as r)
),

chosen as (
    select
        care_plan_id,
        list(code order by precedence) as codes
    from chosen_codes
    group by care_plan_id
)

select
    c.care_plan_id,
    c.person_id,
    c.start_date,
    c.end_date,
    c.plan_json is not null and coalesce(try(json_type(c.plan_json)) <> 'OBJECT', true)
        as json_invalid,
    p.codes[1] as permanence_code,
    p.codes as permanence_options
from cleaned as c
left join chosen as p on c.care_plan_id = p.care_plan_id
