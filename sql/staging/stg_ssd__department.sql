-- Staging: ssd_department. Grain: one row per team.
with source as (
    select * from raw_ssd_department
)

select
    clean_text(dept_team_id) as team_id,
    clean_text(dept_team_name) as team_name,
    clean_text(dept_team_parent_id) as parent_team_id,
    clean_text(dept_team_parent_name) as parent_team_name
from source
