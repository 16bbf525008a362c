-- HP18b CIN episodes lasting 2 years or more at closure (indicators.md §2 HP18, §6.4).
-- Grain: one row. Denominator: List 6 rows closed (col 10) in W6. Numerator: of those,
-- closure on or after the second anniversary of col 7 (a 29 February start: 28 February).
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
            where cin_closure_date >= add_months(cin_start_date, 24)
        ) as long_episodes,
        count(*) as episodes
    from closed
)

select
    'HP18b' as indicator_id,
    cast(long_episodes as double) as numerator,
    cast(episodes as double) as denominator,
    round(100.0 * long_episodes / nullif(episodes, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
