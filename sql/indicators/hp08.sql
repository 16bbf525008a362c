-- HP08 S47 enquiries leading to an ICPC (indicators.md §2 HP08). Grain: one row.
-- List 5 rows with an ICPC date (col 9) in W6 / List 5 rows with an S47 start (col 7) in W6:
-- DfE's ratio of ICPCs to S47s, so the numerator is not a subset of the denominator.
with list_5 as (
    select * from annex_a_list_05_s47_icpc
),

counts as (
    select
        count(*) filter (
            where icpc_date between w6_start() and as_at()
        ) as icpcs,
        count(*) filter (
            where s47_start_date between w6_start() and as_at()
        ) as enquiries
    from list_5
)

select
    'HP08' as indicator_id,
    cast(icpcs as double) as numerator,
    cast(enquiries as double) as denominator,
    round(100.0 * icpcs / nullif(enquiries, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
