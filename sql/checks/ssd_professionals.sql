-- Check frame of ssd_professionals, validated by its suite expectations/ssd_professionals.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_professionals row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(prof_professional_id as varchar) as prof_professional_id,
    cast(null as varchar) as _child_id,
    lower(trim(cast(prof_staff_id as varchar))) as _text__prof_staff_id,
    lower(trim(cast(prof_social_worker_registration_no as varchar))) as _text__prof_social_worker_registration_no
from raw_ssd_professionals
