-- DD07 Caseloads by worker and team (indicators.md §5 WF05, WF08 drill-down).
-- Question: how many open cases does each allocated worker hold, in which team, and how big is
-- each team's caseload?
-- Grain: one row per (Allocated Team, Allocated Worker) with a non-blank worker. Open cases are
-- as WF05/WF09: List 6 with no closure date, List 7 with no plan end date, List 8 with no
-- ceased date, and List 9 (every row). "Children" counts distinct children (a child on List 6
-- and List 7 with the same worker counts once); the per-list columns count that list's rows.
-- "Team Children" counts distinct children held by any named worker in the team. Largest
-- caseloads first. Unallocated cases are in DD08.
with open_cases as (
    select
        _person_id as person_id,
        'CIN' as kind,
        allocated_team,
        allocated_worker
    from annex_a_list_06_children_in_need
    where cin_closure_date is null
    union all
    select
        _person_id,
        'CP' as kind,
        allocated_team,
        allocated_worker
    from annex_a_list_07_child_protection
    where cp_plan_end_date is null
    union all
    select
        _person_id,
        'CIC' as kind,
        allocated_team,
        allocated_worker
    from annex_a_list_08_children_in_care
    where date_ceased_looked_after is null
    union all
    select
        _person_id,
        'CL' as kind,
        allocated_team,
        allocated_worker
    from annex_a_list_09_care_leavers
),

allocated as (
    select
        person_id,
        kind,
        coalesce(nullif(trim(allocated_team), ''), '(no team)') as team,
        trim(allocated_worker) as worker
    from open_cases
    where nullif(trim(allocated_worker), '') is not null
),

by_worker as (
    select
        team,
        worker,
        count(distinct person_id) as children,
        count(*) filter (where kind = 'CIN') as cin,
        count(*) filter (where kind = 'CP') as cp,
        count(*) filter (where kind = 'CIC') as cic,
        count(*) filter (where kind = 'CL') as cl
    from allocated
    group by team, worker
),

by_team as (
    select
        team,
        count(distinct person_id) as team_children
    from allocated
    group by team
)

select
    w.team as "Allocated Team",
    w.worker as "Allocated Worker",
    w.children as "Children",
    w.cin as "Children in Need (List 6)",
    w.cp as "Child Protection (List 7)",
    w.cic as "Children in Care (List 8)",
    w.cl as "Care Leavers (List 9)",
    t.team_children as "Team Children"
from by_worker as w
inner join by_team as t on w.team = t.team
order by w.children desc, w.team asc, w.worker asc
