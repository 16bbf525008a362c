-- CIN census: Disabilities, one row per child in the census and recorded disability code (the
-- SSD codes are the census's: MOB, HAND, ..., NONE). A child with no disability row gets none:
-- "NONE" only when the CMS says so.
select distinct
    d.person_id,
    d.disability_code as disability
from stg_ssd__disability as d
where
    d.disability_code is not null
    and d.person_id in (select c.person_id from ret_cin__children as c)
