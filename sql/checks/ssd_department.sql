-- Check frame of ssd_department, validated by its suite expectations/ssd_department.json. Generated from
-- the source contract by `annexa suites --write` (annexa.validate.suites): edit the generator.
-- Grain: one row per ssd_department row. The key; whether the person, worker and team ids join
-- (_joins__<col>, which no single-table expectation can see); every date as a day number; id and
-- code columns normalised for the placeholder check (_text__<col>).
select
    cast(dept_team_id as varchar) as dept_team_id,
    cast(null as varchar) as _child_id,
    lower(trim(cast(dept_team_parent_id as varchar))) as _text__dept_team_parent_id
from raw_ssd_department
