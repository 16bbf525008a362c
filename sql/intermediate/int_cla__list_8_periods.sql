-- The period of care each child is listed with on List 8 (annex_a.md §5 List 8, D2, D3, D21;
-- source_contract.md §5.9). Grain: one row per child.
-- Candidates: periods of care started on or before A and open in W6 (no end, or ended on or
-- after W6's first day), not made only of short breaks (D21(a)). Per child, the candidate with
-- the latest start (ties: an open period first, then the highest period id).
-- case_end_date = the period's masked end (null = looked after at A); read by
-- int_workers__case_allocation with person_id and referral_id (keep these four columns).
-- subsequent_period: an earlier period of the child, not short breaks only, open in W12 (D21(b)).
-- placements_w12: 1 if an episode of a period (not short breaks only) started before W12 and
-- was open on its first day, plus every episode starting in W12 with reason S, P or B, across
-- all the child's periods (D21(c)).
with periods as (
    select * from int_cla__periods_of_care
),

candidates as (
    select *
    from periods
    where
        start_date <= as_at()
        and (end_date is null or end_date >= w6_start())
        and not short_breaks_only
),

selected as (
    select *
    from candidates
    qualify row_number() over (
        partition by person_id
        order by start_date desc, end_date desc nulls first, period_of_care_id desc
    ) = 1
),

earlier as (
    select
        s.person_id,
        bool_or(p.end_date is null or p.end_date >= w12_start()) as open_in_w12
    from selected as s
    inner join periods as p
        on
            s.person_id = p.person_id
            and not p.short_breaks_only
            and p.start_date < s.start_date
    group by s.person_id
),

placements as (
    select
        person_id,
        case when bool_or(open_on_w12_start) then 1 else 0 end
        + sum(new_placements_w12) as placements_w12
    from periods
    where not short_breaks_only
    group by person_id
)

select
    s.person_id,
    s.period_of_care_id,
    s.referral_id,
    s.end_date as case_end_date,
    s.start_date,
    s.ceased_reason_code,
    s.primary_need_code,
    s.last_iro_contact_date,
    coalesce(e.open_in_w12, false) as subsequent_period,
    cast(coalesce(n.placements_w12, 0) as integer) as placements_w12
from selected as s
left join earlier as e on s.person_id = e.person_id
left join placements as n on s.person_id = n.person_id
