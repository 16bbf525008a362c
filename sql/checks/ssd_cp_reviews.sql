-- Check frame of ssd_cp_reviews, validated by its suite expectations/ssd_cp_reviews.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cp_reviews row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(cppr_cp_review_id as varchar) as cppr_cp_review_id,
    case
        when clean_text(cppr_person_id) is null then true
        else clean_text(cppr_person_id) in (select person_id from chk_known_persons)
    end as _joins__cppr_person_id,
    clean_text(cppr_person_id) as _child_id,
    lower(trim(cast(cppr_person_id as varchar))) as _text__cppr_person_id,
    lower(trim(cast(cppr_cp_plan_id as varchar))) as _text__cppr_cp_plan_id,
    cast(cast(cppr_cp_review_due as date) - date '1970-01-01' as integer) as cppr_cp_review_due,
    cast(cast(cppr_cp_review_date as date) - date '1970-01-01' as integer) as cppr_cp_review_date
from raw_ssd_cp_reviews
