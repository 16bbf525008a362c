-- SSDA903: PrevPerm, one row per child in the header who started to be looked after in the
-- collection year (an episode with RNE S in it). Whether they had a permanence arrangement before
-- (PREV_PERM), the LA that made it and its date are not in the SSD: left blank.
select distinct
    h.person_id,
    h.child,
    h.dob,
    cast(null as varchar) as prev_perm,
    cast(null as varchar) as la_perm,
    cast(null as date) as date_perm
from ret_903__header as h
inner join ret_903__episodes as e
    on h.person_id = e.person_id
where e.rne = 'S' and e.decom >= census_start()
