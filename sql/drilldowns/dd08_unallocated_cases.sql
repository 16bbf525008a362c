-- DD08 Unallocated open cases (indicators.md §5 WF09 drill-down).
-- Question: which children with an open case at A have no allocated worker, on which list,
-- since when, and in which team (if any)?
-- Grain: one row per open row on List 6 (no closure), 7 (no plan end), 8 (no ceased date) and
-- 9 (every row) with a blank Allocated Worker, as WF09 counts them. By list, then child.
with open_cases as (
    select
        6 as list_number,
        'List 6: Children in Need' as list_name,
        child_unique_id,
        age,
        cin_start_date as start_date,
        allocated_team,
        allocated_worker,
        _record_id
    from annex_a_list_06_children_in_need
    where cin_closure_date is null
    union all
    select
        7 as list_number,
        'List 7: Child protection' as list_name,
        child_unique_id,
        age,
        cp_plan_start_date,
        allocated_team,
        allocated_worker,
        _record_id
    from annex_a_list_07_child_protection
    where cp_plan_end_date is null
    union all
    select
        8 as list_number,
        'List 8: Children in care' as list_name,
        child_unique_id,
        age,
        date_started_looked_after,
        allocated_team,
        allocated_worker,
        _record_id
    from annex_a_list_08_children_in_care
    where date_ceased_looked_after is null
    union all
    select
        9 as list_number,
        'List 9: Care leavers' as list_name,
        child_unique_id,
        age,
        cast(null as date) as start_date,
        allocated_team,
        allocated_worker,
        _record_id
    from annex_a_list_09_care_leavers
)

select
    child_unique_id as "Child Unique ID",
    age as "Age",
    list_name as "List",
    start_date as "Start Date",
    allocated_team as "Allocated Team"
from open_cases
where nullif(trim(allocated_worker), '') is null
order by list_number, child_unique_id, _record_id
