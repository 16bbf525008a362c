-- PLACEHOLDER (being written by the lead): allocated team and worker for child Lists 6, 7, 8.
select
    null::integer as list_number,
    null::varchar as person_id,
    null::varchar as allocated_team,
    null::varchar as allocated_worker,
    null::varchar as worker_how,
    null::varchar as team_how
where false
