-- SSDA903: OC3, one row per care leaver whose 17th to 21st birthday falls in the collection year,
-- from their leaving-care record standing at A (int_care_leavers__latest_record): in touch,
-- activity, accommodation (the code and its suitability digit, e.g. B1).
select
    r.person_id,
    p.child_unique_id as child,
    p.dob,
    r.in_touch_code as in_touch,
    r.activity_code as activ,
    r.accommodation_code || coalesce(r.suitability_code, '') as accom
from int_care_leavers__latest_record as r
inner join stg_ssd__person as p
    on r.person_id = p.person_id
where
    p.dob is not null
    and age_at(p.dob, as_at()) between 17 and 21
    and add_months(p.dob, 12 * age_at(p.dob, as_at())) >= census_start()
