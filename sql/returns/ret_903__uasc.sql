-- SSDA903: UASC, one row per child in the header who was an unaccompanied asylum-seeking child at
-- any time in the collection year (an immigration status UASC overlapping it). DUC, the date UASC
-- status ceased: the status's end date, capped at the 18th birthday (UASC status ends then); a
-- status still open gives the 18th birthday.
with uasc as (
    select
        person_id,
        max(coalesce(end_date, date '9999-12-31')) as end_date
    from stg_ssd__immigration_status
    where
        status_code = 'UASC'
        and start_date <= as_at()
        and (end_date is null or end_date >= census_start())
    group by person_id
)

select
    h.person_id,
    h.child,
    h.sex,
    h.dob,
    least(u.end_date, add_months(h.dob, 216)) as duc
from uasc as u
inner join ret_903__header as h
    on u.person_id = h.person_id
where h.looked_after  -- DfE: UASC information is not required for care leavers
