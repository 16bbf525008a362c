-- HP09 ICPCs within 15 working days of the strategy discussion (indicators.md §2 HP09, §6.2).
-- Grain: one row. Denominator: List 5 rows with an ICPC (col 9) held in W6, each S47 counted.
-- Numerator: of those, 0 <= WD(col 7 S47 start, col 9 ICPC date) <= 15. An ICPC before its S47
-- start is a data error: kept in the denominator, never in the numerator (as DfE).
with list_5 as (
    select * from annex_a_list_05_s47_icpc
),

held as (
    select
        *,
        wd(s47_start_date, icpc_date) as working_days
    from list_5
    where icpc_date between w6_start() and as_at()
),

counts as (
    select
        count(*) filter (where working_days between 0 and 15) as within_15,
        count(*) as icpcs
    from held
)

select
    'HP09' as indicator_id,
    cast(within_15 as double) as numerator,
    cast(icpcs as double) as denominator,
    round(100.0 * within_15 / nullif(icpcs, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
