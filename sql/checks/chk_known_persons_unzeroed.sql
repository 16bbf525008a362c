-- The person ids of chk_known_persons without their leading zeros, for a check frame's
-- _zeros__<col> (whether an id that does not join would with its zeros restored).
-- Grain: one row per distinct unzeroed id. A helper of the checks layer (a temporary table,
-- not a frame).
select distinct ltrim(person_id, '0') as id from chk_known_persons
