-- PLACEHOLDER (being written): one row per child selected for List 7.
select
    null::varchar as person_id,
    null::varchar as cp_plan_id,
    null::varchar as referral_id,
    null::date as case_end_date
where false
