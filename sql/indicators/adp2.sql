-- ADP2 A10: A1 adjusted for adoptions by foster carers (indicators.md §3 ADP2).
-- Grain: one row. Children on List 10 adopted in W12 (col 13) with a date placed for adoption
-- (col 12): mean days from col 8 (entered care) to the end point, in calendar days. End point:
-- col 12, except for a child adopted by their foster carers (CMS perm_adopted_by_carer_flag =
-- Y): col 16 (placed for FFA or concurrent planning) when present, else the date originally
-- placed with those carers (perm_placed_foster_carer_date; placeholder dates cleaned to null),
-- else col 12. Numerator: total days; denominator: children.
with list_10 as (
    select * from annex_a_list_10_adoption
),

permanence as (
    select
        permanence_id,
        adopted_by_carer_flag,
        masked(placed_foster_carer_date) as placed_foster_carer_date
    from stg_ssd__permanence
),

adopted as (
    select
        date_diff(
            'day',
            l.date_entered_care,
            case
                when p.adopted_by_carer_flag = 'Y'
                    then coalesce(
                        l.date_placed_ffa_or_concurrent,
                        p.placed_foster_carer_date,
                        l.date_placed_for_adoption
                    )
                else l.date_placed_for_adoption
            end
        ) as days
    from list_10 as l
    left join permanence as p on l._record_id = p.permanence_id
    where
        l.date_adoption_order between w12_start() and as_at()
        and l.date_placed_for_adoption is not null
        and l.date_entered_care is not null
),

totals as (
    select
        sum(days) as total_days,
        count(*) as children
    from adopted
)

select
    'ADP2' as indicator_id,
    cast(total_days as double) as numerator,
    cast(children as double) as denominator,
    round(total_days / nullif(children, 0), 1) as value,
    w12_start() as period_start,
    as_at() as period_end
from totals
