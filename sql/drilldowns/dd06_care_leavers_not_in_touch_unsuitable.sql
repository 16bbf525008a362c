-- DD06 Care leavers not in touch or in unsuitable accommodation (indicators.md §4 CL01 and
-- CL03 drill-downs).
-- Question: which care leavers is the LA not in touch with, and which are living in
-- accommodation recorded as unsuitable?
-- Grain: one row per List 9 young person (any age) whose col 13 is anything other than
-- a) Yes (b) No, c) Died, d) Refu, e) NREQ or blank, as CL01 counts only a) Yes), or whose
-- col 16 is b) Unsuitable. List 9 fills accommodation, suitability and activity only when in
-- touch is a) Yes (annex_a D23), so "unsuitable" applies to young people in touch. Not in touch
-- first, then oldest first.
with list_9 as (
    select * from annex_a_list_09_care_leavers
),

flagged as (
    select
        *,
        (la_in_touch is distinct from annex_code('CS-INTOUCH', 'YES')) as not_in_touch,
        (suitability_of_accommodation is not distinct from annex_code('CS-SUIT', '2'))
            as unsuitable
    from list_9
)

select
    child_unique_id as "Child Unique ID",
    age as "Age",
    case
        when not_in_touch then 'Not in touch'
        else 'Unsuitable accommodation'
    end as "Reason",
    la_in_touch as "LA in Touch",
    latest_date_of_contact as "Latest Date of Contact",
    type_of_accommodation as "Type of Accommodation",
    suitability_of_accommodation as "Suitability of Accommodation",
    activity_status as "Activity Status",
    allocated_personal_advisor as "Allocated Personal Advisor",
    allocated_team as "Allocated Team",
    allocated_worker as "Allocated Worker"
from flagged
where not_in_touch or unsuitable
order by not_in_touch desc, age desc, child_unique_id asc, _record_id asc
