-- WF05 Average caseload, Annex A view (indicators.md §5 WF05). Grain: one row.
-- Distinct children open at A on List 6 (no closure), List 7 (no plan end), List 8 (no ceased
-- date) and List 9, counted per Allocated Worker; averaged over workers holding at least one
-- case. Numerator: worker-child pairs; denominator: workers. Not FTE-weighted.
with open_cases as (
    select
        _person_id as person_id,
        allocated_worker
    from annex_a_list_06_children_in_need
    where cin_closure_date is null
    union all
    select
        _person_id,
        allocated_worker
    from annex_a_list_07_child_protection
    where cp_plan_end_date is null
    union all
    select
        _person_id,
        allocated_worker
    from annex_a_list_08_children_in_care
    where date_ceased_looked_after is null
    union all
    select
        _person_id,
        allocated_worker
    from annex_a_list_09_care_leavers
),

caseloads as (
    select
        allocated_worker,
        count(distinct person_id) as children
    from open_cases
    where nullif(trim(allocated_worker), '') is not null
    group by allocated_worker
),

totals as (
    select
        sum(children) as cases,
        count(*) as workers
    from caseloads
)

select
    'WF05' as indicator_id,
    cast(cases as double) as numerator,
    cast(workers as double) as denominator,
    round(cases / nullif(workers, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from totals
