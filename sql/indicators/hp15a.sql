-- HP15a CP visits within the local standard (indicators.md §2 HP15 (a)). Grain: one row.
-- N = 10 working days (the spec's default local standard). Denominator: List 7 rows open at A
-- whose plan has been open for more than N WD (WD(col 7, A) > 10). Numerator: of those, the
-- last statutory visit (col 10) within N WD of A (WD(col 10, A) <= 10).
with list_7 as (
    select * from annex_a_list_07_child_protection
),

open_plans as (
    select *
    from list_7
    where
        cp_plan_end_date is null
        and wd(cp_plan_start_date, as_at()) > 10
),

counts as (
    select
        count(*) filter (
            where wd(date_last_statutory_visit, as_at()) <= 10
        ) as visited,
        count(*) as plans
    from open_plans
)

select
    'HP15a' as indicator_id,
    cast(visited as double) as numerator,
    cast(plans as double) as denominator,
    round(100.0 * visited / nullif(plans, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
