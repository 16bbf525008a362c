-- Cross-list rule: a child's Date of Birth is the same on every list it appears on (Ofsted and
-- ChAT link the lists on the Child Unique ID). Blank dates are not compared (List 8 has no
-- unborn rule, so an unborn child's expected date shows elsewhere but is blank there).
-- Failing rows: one per child (record_id = the person id).
with dates as (
    select _person_id, date_of_birth from annex_a_list_01_contacts
    union all select _person_id, date_of_birth from annex_a_list_02_early_help
    union all select _person_id, date_of_birth from annex_a_list_03_referrals
    union all select _person_id, date_of_birth from annex_a_list_04_assessments
    union all select _person_id, date_of_birth from annex_a_list_05_s47_icpc
    union all select _person_id, date_of_birth from annex_a_list_06_children_in_need
    union all select _person_id, date_of_birth from annex_a_list_07_child_protection
    union all select _person_id, date_of_birth from annex_a_list_08_children_in_care
    union all select _person_id, date_of_birth from annex_a_list_09_care_leavers
    union all select _person_id, date_of_birth from annex_a_list_10_adoption
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
-- ordered: the gate's sample ids are the first rows, the same from run to run
order by record_id, child_id, value
