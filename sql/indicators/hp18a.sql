-- HP18a CIN episodes lasting 3 months or less at closure (indicators.md §2 HP18, §6.4).
-- Grain: one row.
-- Denominator: List 6 rows closed (col 10) in W6. Numerator: of those, episodes lasting 3
-- months or less (closure on or before col 7 start + 3 months, clamped). List 6 leaves out NFA
-- and RC8/RC9 closures, so this differs from DfE's all-episodes measure.
with list_6 as (
    select * from annex_a_list_06_children_in_need
),

closed as (
    select *
    from list_6
    where cin_closure_date between w6_start() and as_at()
),

counts as (
    select
        count(*) filter (
            where cin_closure_date <= add_months(cin_start_date, 3)
        ) as short_episodes,
        count(*) as episodes
    from closed
)

select
    'HP18a' as indicator_id,
    cast(short_episodes as double) as numerator,
    cast(episodes as double) as denominator,
    round(100.0 * short_episodes / nullif(episodes, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
