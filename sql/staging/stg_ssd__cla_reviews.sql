-- Staging: ssd_cla_reviews (source_contract.md §4.18).
-- Grain: one row per looked-after review. cancelled_flag: Y / N (null = not recorded).
-- person_id (clar_cla_person_id, v1.4.1+) may be null: the person then comes via the period.
with source as (
    select * from raw_ssd_cla_reviews
)

select
    clean_text(clar_cla_review_id) as review_id,
    clean_text(clar_cla_id) as period_of_care_id,
    clean_text(clar_cla_person_id) as person_id,
    clean_date(clar_cla_review_due_date) as due_date,
    clean_date(clar_cla_review_date) as review_date,
    clean_text(clar_cla_review_cancelled) as cancelled_raw,
    map_code('ssd_cla_reviews.clar_cla_review_cancelled', clar_cla_review_cancelled)
        as cancelled_flag
from source
