-- HP17 Children on CIN plans seen within the local standard (indicators.md §2 HP17).
-- Grain: one row. N = 20 working days (the spec's default). Denominator: List 6 rows with case
-- status c) Child in need plan whose episode started (col 7) more than N WD before A.
-- Numerator: of those, col 9 (date child last seen) within N WD of A (WD(col 9, A) <= 20).
with list_6 as (
    select * from annex_a_list_06_children_in_need
),

cin_plans as (
    select *
    from list_6
    where
        case_status = annex_code('CS-CASESTATUS', 'CIN')
        and wd(cin_start_date, as_at()) > 20
),

counts as (
    select
        count(*) filter (
            where wd(date_child_last_seen, as_at()) <= 20
        ) as seen,
        count(*) as children
    from cin_plans
)

select
    'HP17' as indicator_id,
    cast(seen as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * seen / nullif(children, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
