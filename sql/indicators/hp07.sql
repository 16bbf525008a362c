-- HP07 Section 47 enquiries (indicators.md §2 HP07). Grain: one row.
-- Count of List 5 rows whose col 7 (S47 start) is in W6. The rate per 10,000 (annualised x 2)
-- needs the 0-17 population: the count is the numerator, the value stays null.
with list_5 as (
    select * from annex_a_list_05_s47_icpc
),

counts as (
    select count(*) as enquiries
    from list_5
    where s47_start_date between w6_start() and as_at()
)

select
    'HP07' as indicator_id,
    cast(enquiries as double) as numerator,
    cast(null as double) as denominator,
    cast(null as double) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
