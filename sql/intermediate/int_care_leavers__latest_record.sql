-- The leaving-care record that stands for each young person at A (source_contract.md §5.10).
-- Grain: one row per person with a care-leaver record dated on or before A.
-- Selection: latest clea_care_leaver_latest_contact on or before A; records without a contact
-- date rank after dated ones. The contact date is a current-state field (source_contract §7.2):
-- one dated after A is blank ("not known at A"), and the record still stands for the young person
-- (a care leaver at a past A whose latest contact is today was a care leaver then). Remaining ties
-- are broken on the mapped values, never on clea_table_id (regenerated on every SSD build).
with care_leavers as (
    select * from stg_ssd__care_leavers
    where person_id is not null
),

dated_by_a as (
    select * replace (masked(latest_contact_date) as latest_contact_date)
    from care_leavers
),

latest as (
    select *
    from dated_by_a
    qualify row_number() over (
        partition by person_id
        order by
            latest_contact_date desc nulls last,
            eligibility_code asc nulls last,
            in_touch_code asc nulls last,
            accommodation_code asc nulls last,
            suitability_code asc nulls last,
            activity_code asc nulls last,
            pathway_plan_review_date desc nulls last,
            allocated_team_id asc nulls last,
            worker_id asc nulls last,
            personal_advisor_id asc nulls last
    ) = 1
)

select * from latest
