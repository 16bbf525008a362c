-- CL03 Care leavers aged 19-21 in suitable accommodation (indicators.md §4 CL03).
-- Grain: one row. Denominator: List 9 rows aged 19 to 21 at A (col 5), including those not in
-- touch or with nothing recorded (as DfE). Numerator: of those, col 16 = a) Suitable.
-- Annex A gives the latest recorded status, not DfE's "around the birthday" measure.
with list_9 as (
    select * from annex_a_list_09_care_leavers
),

aged_19_to_21 as (
    select *
    from list_9
    where age between 19 and 21
),

counts as (
    select
        count(*) filter (
            where suitability_of_accommodation = annex_code('CS-SUIT', '1')
        ) as suitable,
        count(*) as young_people
    from aged_19_to_21
)

select
    'CL03' as indicator_id,
    cast(suitable as double) as numerator,
    cast(young_people as double) as denominator,
    round(100.0 * suitable / nullif(young_people, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
