-- The worker ids and names a worker field may hold (_joins__<col>): professional ids, staff ids
-- and every raw worker value resolved to a name. Grain: one row per such value. A helper of the
-- checks layer (a temporary table, not a frame).
select distinct clean_text(prof_professional_id) as id from raw_ssd_professionals
union
select distinct clean_text(prof_staff_id) as id from raw_ssd_professionals
union
select distinct raw as id from int_workers__names
where worker_name is not null
