-- SSDA903: PlacedAdoption, one row per decision that a child in the header should be placed for
-- adoption made on or before A and not reversed before the collection year: DATE_PLACED (the
-- decision), DATE_PLACED_CEASED and REASON_PLACED_CEASED (RD1-RD4) when reversed by A. A decision
-- that an order (adoption, SGO or CAO) fulfilled before the year is spent: a child adopted and
-- looked after again later is in the year's return with the new period's decisions only (DfE
-- 1003: no decision before the first episode of the year's first period).
select distinct
    h.person_id,
    h.child,
    h.dob,
    m.decision_date as date_placed,
    masked(m.decision_reversed_date) as date_placed_ceased,
    case
        when masked(m.decision_reversed_date) is not null then m.decision_reversed_reason_code
    end as reason_placed_ceased
from stg_ssd__permanence as m
inner join ret_903__header as h
    on m.source_person_id = h.person_id
where
    h.looked_after
    and m.decision_date is not null
    and m.decision_date <= as_at()
    and (masked(m.decision_reversed_date) is null or m.decision_reversed_date >= census_start())
    and (m.permanence_order_date is null or m.permanence_order_date >= census_start())
