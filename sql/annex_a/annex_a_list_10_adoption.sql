-- Annex A List 10: Adoption (annex_a.md §5 List 10; source_contract.md §5.11; D24).
-- Grain: one row per child with a "should be placed for adoption" decision on or before A and
-- an adoption order in W12, a reversal in W12, or neither an order nor a reversal by A
-- (windows inclusive, D1). A child with several such records keeps the latest decision.
-- Dates after A are blank, and so is what depends on them (D3): the reversal reason only with
-- its date, the family identifier only once matched or placed by A.
-- Columns beginning with "_" are for validation and worklists only; they are never published.
with decisions as (
    select * from int_adoption__decisions
),

children as (
    select * from int_person__child_columns
),

as_known_at_a as (
    select
        permanence_id,
        person_id,
        period_basis,
        adopter_family_id,
        decision_date,
        masked(entered_care_date) as entered_care_date,
        masked(placement_order_date) as placement_order_date,
        masked(matched_date) as matched_date,
        masked(placed_for_adoption_date) as placed_for_adoption_date,
        masked(adoption_order_date) as adoption_order_date,
        masked(decision_reversed_date) as decision_reversed_date,
        decision_reversed_reason_code,
        masked(placed_ffa_cp_date) as placed_ffa_cp_date
    from decisions
    where decision_date <= as_at()
),

in_scope as (
    select *
    from as_known_at_a
    where
        adoption_order_date >= w12_start()
        or decision_reversed_date >= w12_start()
        or (adoption_order_date is null and decision_reversed_date is null)
    qualify row_number() over (
        partition by person_id order by decision_date desc, permanence_id desc
    ) = 1
),

final as (
    select
        c.child_unique_id,
        case
            when s.matched_date is not null or s.placed_for_adoption_date is not null
                then s.adopter_family_id
        end as family_identifier,
        c.gender,
        c.ethnicity,
        c.date_of_birth,
        c.age,
        c.disability,
        s.entered_care_date as date_entered_care,
        s.decision_date as date_decision_placed_for_adoption,
        s.placement_order_date as date_placement_order,
        s.matched_date as date_matched,
        s.placed_for_adoption_date as date_placed_for_adoption,
        s.adoption_order_date as date_adoption_order,
        s.decision_reversed_date as date_decision_reversed,
        case
            when s.decision_reversed_date is not null
                then annex_code('CS-RD', s.decision_reversed_reason_code)
        end as reason_decision_reversed,
        s.placed_ffa_cp_date as date_placed_ffa_or_concurrent,
        s.permanence_id as _record_id,
        s.person_id as _person_id,
        c.dob_basis as _dob_basis,
        s.period_basis as _period_basis
    from in_scope as s
    inner join children as c on s.person_id = c.person_id
)

select *
from final
order by child_unique_id, date_decision_placed_for_adoption, _record_id
