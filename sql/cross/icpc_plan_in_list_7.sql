-- Cross-list rule: an ICPC on List 5 that resulted in a CP plan has that plan on List 7.
-- A child whose ICPC (held by A) resulted in a plan has a List 7 row whose plan started on or
-- after that ICPC: the plan started after the first day of W6, so it is open in W6 and in
-- List 7's scope; a later plan of the same child starts later still. A plan held temporarily
-- for another LA is not on List 7 (D20), so its ICPC is not checked. Failing rows: the List 5
-- enquiry (its _record_id).
select
    l5._record_id as record_id,
    l5._person_id as child_id,
    'icpc_resulted_in_cp_plan' as column_name,
    strftime(l5.icpc_date, '%Y-%m-%d') as value
from annex_a_list_05_s47_icpc as l5
where
    l5.icpc_resulted_in_cp_plan = annex_code('CS-YN', 'Y')
    and l5.icpc_date is not null
    and not l5._icpc_plan_other_la
    and not exists (
        select 1
        from annex_a_list_07_child_protection as l7
        where l7._person_id = l5._person_id and l7.cp_plan_start_date >= l5.icpc_date
    )
-- ordered: the gate's sample ids are the first rows, the same from run to run
order by record_id, child_id, value
