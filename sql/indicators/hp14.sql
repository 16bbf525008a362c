-- HP14 CP plans reviewed within timescale (indicators.md §2 HP14). Grain: one row.
-- Denominator: List 7 rows open at A (no col 13) whose plan started (col 7) on or before
-- A - 3 months. Overdue: no review (col 12) and A after start + 3 months, or the latest review
-- more than 6 months before A (before A - 6 months). Numerator: denominator rows not overdue.
with list_7 as (
    select * from annex_a_list_07_child_protection
),

open_plans as (
    select *
    from list_7
    where
        cp_plan_end_date is null
        and cp_plan_start_date <= add_months(as_at(), -3)
),

flagged as (
    select
        *,
        coalesce(
            (
                date_latest_review_conference is null
                and as_at() > add_months(cp_plan_start_date, 3)
            )
            or date_latest_review_conference < add_months(as_at(), -6),
            false
        ) as is_overdue
    from open_plans
),

counts as (
    select
        count(*) filter (where not is_overdue) as in_time,
        count(*) as plans
    from flagged
)

select
    'HP14' as indicator_id,
    cast(in_time as double) as numerator,
    cast(plans as double) as denominator,
    round(100.0 * in_time / nullif(plans, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
