-- HP15b CP plans: child seen alone at the last visit (indicators.md §2 HP15 (b)).
-- Grain: one row. Denominator: List 7 rows open at A (no col 13) with a last statutory visit
-- (col 10). Numerator: of those, col 11 (child seen alone) = a) Yes.
with list_7 as (
    select * from annex_a_list_07_child_protection
),

visited as (
    select *
    from list_7
    where
        cp_plan_end_date is null
        and date_last_statutory_visit is not null
),

counts as (
    select
        count(*) filter (
            where child_seen_alone = annex_code('CS-YNU', 'Y')
        ) as seen_alone,
        count(*) as plans
    from visited
)

select
    'HP15b' as indicator_id,
    cast(seen_alone as double) as numerator,
    cast(plans as double) as denominator,
    round(100.0 * seen_alone / nullif(plans, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
