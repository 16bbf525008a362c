-- Cross-list rule: a child looked after at A (on List 8, not ceased) who is on List 6 shows the
-- case status "a) Looked after child" there (annex_a D18: the first status that applies).
-- Failing rows: the List 6 row (its _record_id).
select
    l6._record_id as record_id,
    l6._person_id as child_id,
    'case_status' as column_name,
    l6.case_status as value
from annex_a_list_06_children_in_need as l6
inner join annex_a_list_08_children_in_care as l8 on l6._person_id = l8._person_id
where
    l8.date_ceased_looked_after is null
    and l6.case_status is distinct from annex_code('CS-CASESTATUS', 'LAC')
-- ordered: the gate's sample ids are the first rows, the same from run to run
order by record_id, child_id, value
