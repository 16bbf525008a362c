-- WF10 Social worker changes for children in care (indicators.md §5 WF10). Grain: one row.
-- CMS refinement from ssd_involvements (role CW). N = 3 changes (the spec's default;
-- unconfirmed against DfE's measure). A change is a CW involvement of the child starting in
-- W12 whose professional differs from that of the child's previous CW involvement (by start
-- date, then id); the child's first involvement ever is an allocation, not a change.
-- Denominator: List 8 rows looked after at A (no col 20). Numerator: of those, >= 3 changes.
with list_8 as (
    select * from annex_a_list_08_children_in_care
),

involvements as (
    select
        person_id,
        professional_id,
        start_date,
        lag(professional_id) over (
            partition by person_id order by start_date, involvement_id
        ) as previous_professional_id
    from stg_ssd__involvements
    where
        role_code = 'CW'
        and person_id is not null
        and start_date <= as_at()
),

changes as (
    select
        person_id,
        count(*) as worker_changes
    from involvements
    where
        start_date between w12_start() and as_at()
        and previous_professional_id is not null
        and professional_id is distinct from previous_professional_id
    group by person_id
),

looked_after as (
    select
        l._person_id,
        coalesce(c.worker_changes, 0) as worker_changes
    from list_8 as l
    left join changes as c on l._person_id = c.person_id
    where l.date_ceased_looked_after is null
),

counts as (
    select
        count(*) filter (where worker_changes >= 3) as three_plus,
        count(*) as children
    from looked_after
)

select
    'WF10' as indicator_id,
    cast(three_plus as double) as numerator,
    cast(children as double) as denominator,
    round(100.0 * three_plus / nullif(children, 0), 1) as value,
    w12_start() as period_start,
    as_at() as period_end
from counts
