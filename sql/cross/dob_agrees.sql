-- Cross-list rule: a child's Date of Birth is the same on every list it appears on (Ofsted and
-- ChAT link the lists on the Child Unique ID). Blank dates are not compared (List 8 has no
-- unborn rule, so an unborn child's expected date shows elsewhere but is blank there).
-- Failing rows: one per child (record_id = the person id).
with dates as (
    select _person_id, date_of_birth from list_1
    union all select _person_id, date_of_birth from list_2
    union all select _person_id, date_of_birth from list_3
    union all select _person_id, date_of_birth from list_4
    union all select _person_id, date_of_birth from list_5
    union all select _person_id, date_of_birth from list_6
    union all select _person_id, date_of_birth from list_7
    union all select _person_id, date_of_birth from list_8
    union all select _person_id, date_of_birth from list_9
    union all select _person_id, date_of_birth from list_10
)

select
    _person_id as record_id,
    _person_id as child_id,
    'date_of_birth' as column_name,
    cast(count(distinct date_of_birth) as varchar) || ' different dates' as value
from dates
where date_of_birth is not null and _person_id is not null
group by _person_id
having count(distinct date_of_birth) > 1
