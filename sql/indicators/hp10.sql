-- HP10 ICPCs resulting in a CP plan (indicators.md §2 HP10). Grain: one row.
-- List 5 rows with an ICPC date in W6 and col 10 = a) Yes / List 5 rows with an ICPC in W6.
with list_5 as (
    select * from annex_a_list_05_s47_icpc
),

held as (
    select *
    from list_5
    where icpc_date between w6_start() and as_at()
),

counts as (
    select
        count(*) filter (
            where icpc_resulted_in_cp_plan = annex_code('CS-YN', 'Y')
        ) as with_plan,
        count(*) as icpcs
    from held
)

select
    'HP10' as indicator_id,
    cast(with_plan as double) as numerator,
    cast(icpcs as double) as denominator,
    round(100.0 * with_plan / nullif(icpcs, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
