-- The team ids a team field may join to (_joins__<col>).
-- Grain: one row per team id of stg_ssd__department. A helper of the checks layer (a temporary
-- table, not a frame).
select distinct team_id as id from stg_ssd__department
