-- SSDA903: Reviews, one row per looked-after review held in the collection year (not cancelled)
-- for a child in the header. REVIEW_CODE (the child's participation, PN0-PN7) is not in the SSD.
select distinct
    h.person_id,
    h.child,
    h.dob,
    r.review_date as review,
    cast(null as varchar) as review_code
from stg_ssd__cla_reviews as r
inner join ret_903__header as h
    on r.person_id = h.person_id
where
    h.looked_after
    and r.review_date between census_start() and as_at()
    and r.cancelled_flag is distinct from 'Y'
