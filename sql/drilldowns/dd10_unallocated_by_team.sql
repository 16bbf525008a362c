-- DD10 Unallocated open cases by team (indicators.md §5 WF09 drill-down, issue 14).
-- Question: how many open cases in each team have no allocated worker, by list?
-- Grain: one row per allocated team (blank team: "(no team)") with at least one open row on
-- List 6 (no closure), 7 (no plan end), 8 (no ceased date) or 9 (every row) that has a blank
-- Allocated Worker, as DD08 lists them. Most unallocated first, then team.
with open_cases as (
    select
        6 as list_number,
        allocated_team,
        allocated_worker
    from annex_a_list_06_children_in_need
    where cin_closure_date is null
    union all
    select
        7 as list_number,
        allocated_team,
        allocated_worker
    from annex_a_list_07_child_protection
    where cp_plan_end_date is null
    union all
    select
        8 as list_number,
        allocated_team,
        allocated_worker
    from annex_a_list_08_children_in_care
    where date_ceased_looked_after is null
    union all
    select
        9 as list_number,
        allocated_team,
        allocated_worker
    from annex_a_list_09_care_leavers
),

unallocated as (
    select
        list_number,
        coalesce(nullif(trim(allocated_team), ''), '(no team)') as team
    from open_cases
    where nullif(trim(allocated_worker), '') is null
)

select
    team as "Allocated Team",
    count(*) filter (where list_number = 6) as "Children in Need (List 6)",
    count(*) filter (where list_number = 7) as "Child Protection (List 7)",
    count(*) filter (where list_number = 8) as "Children in Care (List 8)",
    count(*) filter (where list_number = 9) as "Care Leavers (List 9)",
    count(*) as "Unallocated"
from unallocated
group by team
order by count(*) desc, team
