-- SSDA903: Missing, one row per missing (M) or away without authorisation (A) episode of a child
-- in the header that was open at any time in the collection year: started on or before A, not
-- ended before the census start. An end after A is blank (still missing at A, D3).
select
    h.person_id,
    h.child,
    h.dob,
    m.missing_type_code as missing,
    m.start_date as mis_start,
    masked(m.end_date) as mis_end
from stg_ssd__missing as m
inner join ret_903__header as h
    on m.person_id = h.person_id
where
    h.looked_after
    and m.start_date is not null
    and m.start_date <= as_at()
    and (masked(m.end_date) is null or m.end_date >= census_start())
