-- SSDA903: OC3, one row per care leaver whose 17th to 21st birthday falls in the collection year
-- and who was not looked after on or after that birthday (DfE 1007, 1016: a young person still
-- or again in care then is reported in the episodes, not here), from their leaving-care record
-- standing at A (int_care_leavers__latest_record): in touch, activity, accommodation (the code and
-- its suitability digit, e.g. B1). When the authority is not in touch with the young person (any
-- IN_TOUCH but YES) activity and accommodation are 0, DfE's "not applicable" (DfE 153, 344).
-- A young person whose last period of care ended with the care transferred to another LA (E3)
-- is that LA's care leaver, not in this LA's OC3 (DfE 1011: no care leaver information; 131:
-- IN_TOUCH is required in a row, so no row).
with leavers as (
    select
        r.*,
        p.child_unique_id,
        p.dob,
        add_months(p.dob, 12 * age_at(p.dob, as_at())) as birthday
    from int_care_leavers__latest_record as r
    inner join stg_ssd__person as p
        on r.person_id = p.person_id
    where p.dob is not null and age_at(p.dob, as_at()) between 17 and 21
)

select
    l.person_id,
    l.child_unique_id as child,
    l.dob,
    l.in_touch_code as in_touch,
    case
        when l.in_touch_code = 'YES' then l.activity_code
        when l.in_touch_code is not null then '0'
    end as activ,
    case
        when l.in_touch_code = 'YES' then l.accommodation_code || coalesce(l.suitability_code, '')
        when l.in_touch_code is not null then '0'
    end as accom
from leavers as l
where
    l.birthday >= census_start()
    and not exists (
        select 1
        from int_cla__periods_of_care as c
        where
            c.person_id = l.person_id
            and c.start_date <= as_at()
            and (c.end_date is null or c.end_date >= l.birthday)
    )
    and not exists (
        select 1
        from int_cla__periods_of_care as c
        where
            c.person_id = l.person_id
            and c.start_date <= as_at()
            and c.ceased_reason_code = 'E3'
            and c.start_date = (
                select max(c2.start_date)
                from int_cla__periods_of_care as c2
                where c2.person_id = l.person_id and c2.start_date <= as_at()
            )
    )
