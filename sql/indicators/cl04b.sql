-- CL04b Personal adviser allocated (indicators.md §4 CL04 (b)). Grain: one row.
-- List 9 rows with col 10 (allocated personal adviser) not blank / List 9 rows. Col 10 exists
-- only in the later Annex A revision.
with list_9 as (
    select * from annex_a_list_09_care_leavers
),

counts as (
    select
        count(*) filter (
            where nullif(trim(allocated_personal_advisor), '') is not null
        ) as with_adviser,
        count(*) as young_people
    from list_9
)

select
    'CL04b' as indicator_id,
    cast(with_adviser as double) as numerator,
    cast(young_people as double) as denominator,
    round(100.0 * with_adviser / nullif(young_people, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
