-- CIC06 Looked-after reviews within timescale (indicators.md §3 CIC06, §6.2). Grain: one row.
-- Denominator: List 8 rows looked after at A (no col 20). Overdue: no review (col 13) and A
-- after the 20th working day after col 8 (WD(col 8, A) > 20), or the latest review more than
-- 6 months before A (before A - 6 months). Numerator: denominator rows not overdue.
with list_8 as (
    select * from annex_a_list_08_children_in_care
),

looked_after as (
    select *
    from list_8
    where date_ceased_looked_after is null
),

flagged as (
    select
        *,
        coalesce(
            (
                date_latest_statutory_review is null
                and wd(date_started_looked_after, as_at()) > 20
            )
            or date_latest_statutory_review < add_months(as_at(), -6),
            false
        ) as is_overdue
    from looked_after
),

counts as (
    select
        count(*) filter (where not is_overdue) as in_time,
        count(*) as children
    from flagged
)

select
    'CIC06' as indicator_id,
    cast(in_time as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * in_time / nullif(children, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
