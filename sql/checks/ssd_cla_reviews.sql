-- Check frame of ssd_cla_reviews, validated by its suite expectations/ssd_cla_reviews.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_cla_reviews row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(clar_cla_review_id as varchar) as clar_cla_review_id,
    case
        when clean_text(clar_cla_person_id) is null then true
        else clean_text(clar_cla_person_id) in (select person_id from chk_known_persons)
    end as _joins__clar_cla_person_id,
    clean_text(clar_cla_person_id) as _child_id,
    lower(trim(cast(clar_cla_id as varchar))) as _text__clar_cla_id,
    lower(trim(cast(clar_cla_person_id as varchar))) as _text__clar_cla_person_id,
    cast(
        cast(clar_cla_review_due_date as date) - date '1970-01-01' as integer
    ) as clar_cla_review_due_date,
    cast(cast(clar_cla_review_date as date) - date '1970-01-01' as integer) as clar_cla_review_date
from raw_ssd_cla_reviews
