-- WF09 Unallocated cases (indicators.md §5 WF09). Grain: one row.
-- Rows open at A on Lists 6 (no closure), 7 (no plan end), 8 (no ceased date) and 9 with a
-- blank Allocated Worker / rows open at A on those lists.
with open_cases as (
    select allocated_worker
    from annex_a_list_06_children_in_need
    where cin_closure_date is null
    union all
    select allocated_worker
    from annex_a_list_07_child_protection
    where cp_plan_end_date is null
    union all
    select allocated_worker
    from annex_a_list_08_children_in_care
    where date_ceased_looked_after is null
    union all
    select allocated_worker
    from annex_a_list_09_care_leavers
),

counts as (
    select
        count(*) filter (
            where nullif(trim(allocated_worker), '') is null
        ) as unallocated,
        count(*) as cases
    from open_cases
)

select
    'WF09' as indicator_id,
    cast(unallocated as double) as numerator,
    cast(cases as double) as denominator,
    round(100.0 * unallocated / nullif(cases, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
