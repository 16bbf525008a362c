-- Staging: ssd_cp_reviews (source_contract.md §4.14). Grain: one row per CP review conference.
-- person_id is absent from Mosaic builds (person via the plan).
with source as (
    select * from raw_ssd_cp_reviews
)

select
    clean_text(cppr_cp_review_id) as review_id,
    clean_text(cppr_person_id) as person_id,
    clean_text(cppr_cp_plan_id) as cp_plan_id,
    clean_date(cppr_cp_review_due) as review_due_date,
    clean_date(cppr_cp_review_date) as review_date
from source
