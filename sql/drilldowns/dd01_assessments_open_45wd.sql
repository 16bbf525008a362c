-- DD01 Assessments open beyond 45 working days (indicators.md §2 HP05 drill-down, §6.2).
-- Question: which children's assessments are still open at A more than 45 working days after
-- they started, how long have they been open and who holds them?
-- Grain: one row per List 4 assessment with no authorisation date at A (an authorisation after
-- A is masked, so it counts as open) and WD(start, A) > 45 (start day = day 0). Longest first.
with list_4 as (
    select * from annex_a_list_04_assessments
),

open_assessments as (
    select
        *,
        wd(assessment_start_date, as_at()) as working_days_open
    from list_4
    where
        assessment_authorisation_date is null
        and assessment_start_date <= as_at()
)

select
    child_unique_id as "Child Unique ID",
    age as "Age",
    assessment_start_date as "Assessment Start Date",
    working_days_open as "Working Days Open",
    allocated_team as "Allocated Team",
    allocated_worker as "Allocated Worker"
from open_assessments
where working_days_open > 45
order by working_days_open desc, child_unique_id asc, _record_id asc
