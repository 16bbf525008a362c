-- The person ids a check frame's person column may join to (_joins__<col>).
-- Grain: one row per person id of stg_ssd__person. A helper of the checks layer (a temporary
-- table, not a frame).
select distinct person_id from stg_ssd__person
where person_id is not null
