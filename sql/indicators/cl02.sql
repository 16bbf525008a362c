-- CL02 Care leavers aged 19-21 in education, employment or training (indicators.md §4 CL02).
-- Grain: one row. Denominator: List 9 rows aged 19 to 21 at A (col 5), including those not in
-- touch and with no activity recorded (as DfE). Numerator: of those, col 17 one of F1-F5 or
-- P1-P5 (education, training, apprenticeship or employment, full or part time).
with list_9 as (
    select * from annex_a_list_09_care_leavers
),

eet_codes as (
    select annex_code('CS-ACTIVITY', codes.code) as activity_status
    from (
        values ('F1'), ('P1'), ('F2'), ('P2'), ('F3'), ('P3'), ('F4'), ('P4'),
        ('F5'), ('P5')
    ) as codes (code)
),

aged_19_to_21 as (
    select *
    from list_9
    where age between 19 and 21
),

counts as (
    select
        count(*) filter (
            where activity_status in (
                select e.activity_status from eet_codes as e
            )
        ) as in_eet,
        count(*) as young_people
    from aged_19_to_21
)

select
    'CL02' as indicator_id,
    cast(in_eet as double) as numerator,
    cast(young_people as double) as denominator,
    round(100.0 * in_eet / nullif(young_people, 0), 1) as value,
    as_at() as period_start,
    as_at() as period_end
from counts
