-- CIC07a Statutory visits in date (indicators.md §3 CIC07 (a)). Grain: one row.
-- N = 42 calendar days (the spec's default). Denominator: List 8 rows looked after at A (no
-- col 20). Numerator: of those, col 14 (last social work visit) on or after A - 42 days.
with list_8 as (
    select * from annex_a_list_08_children_in_care
),

looked_after as (
    select *
    from list_8
    where date_ceased_looked_after is null
),

counts as (
    select
        count(*) filter (
            where date_last_social_work_visit >= as_at() - 42
        ) as visited,
        count(*) as children
    from looked_after
)

select
    'CIC07a' as indicator_id,
    cast(visited as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * visited / nullif(children, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
