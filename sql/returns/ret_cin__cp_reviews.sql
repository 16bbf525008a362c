-- CIN census: Reviews, one row per review of a census CP plan held in the census year (on or
-- after the census start, on or before A).
select distinct
    r.cp_plan_id,
    r.review_date as cpp_review_date
from stg_ssd__cp_reviews as r
inner join ret_cin__cp_plans as p
    on r.cp_plan_id = p.cp_plan_id
where r.review_date between census_start() and as_at()
