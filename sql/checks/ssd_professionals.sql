-- Check frame of ssd_professionals, validated by its suite expectations/ssd_professionals.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_professionals row. The key ('(no key) person <id>' when missing; _raw_key as
-- held); whether the person, worker and team ids join (_joins__<col>, which no single-table
-- expectation can see) and a person id would with its leading zeros (_zeros__<col>); every date
-- as a day number and whether it parsed at extraction (_parses__<col>); id and code columns
-- normalised for the placeholder check (_text__<col>); overlaps and dates of birth (issue 14).
select
    coalesce(
        cast(_t.prof_professional_id as varchar),
        '(no key) ' || coalesce(null,
        'row ' || cast(row_number() over () as varchar))
    ) as prof_professional_id,
    cast(_t.prof_professional_id as varchar) as _raw_key,
    cast(null as varchar) as _child_id,
    lower(trim(cast(prof_staff_id as varchar))) as _text__prof_staff_id,
    lower(trim(cast(prof_social_worker_registration_no as varchar))) as _text__prof_social_worker_registration_no
from raw_ssd_professionals as _t
