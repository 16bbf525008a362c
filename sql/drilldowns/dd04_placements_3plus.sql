-- DD04 Children in care with 3 or more placements in the last 12 months (indicators.md §3
-- CIC02 drill-down).
-- Question: which children looked after at A have had three or more placements in the 12
-- months to A (List 8 col 19, a change of carer as annex_a D21 counts it)?
-- Grain: one row per List 8 child with no ceased date and col 19 >= 3. Most moves first.
with list_8 as (
    select * from annex_a_list_08_children_in_care
)

select
    child_unique_id as "Child Unique ID",
    age as "Age",
    date_started_looked_after as "Date Started to be Looked After",
    placements_last_12_months as "Placements in Last 12 Months",
    placement_start_date as "Start Date of Most Recent Placement",
    placement_type as "Placement Type",
    allocated_team as "Allocated Team",
    allocated_worker as "Allocated Worker"
from list_8
where
    date_ceased_looked_after is null
    and placements_last_12_months >= 3
order by placements_last_12_months desc, child_unique_id asc, _record_id asc
