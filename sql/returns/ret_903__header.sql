-- SSDA903: Header, one row per child in the return: every child with an episode in the collection
-- year (looked_after) and every care leaver in OC3 (DfE INT06: each child of a file is in the
-- header). SEX M, F or U (CS-GENDER I -> U); UPN, MOTHER and MC_DOB are not in the SSD (blank).
select
    p.person_id,
    p.child_unique_id as child,
    case p.gender_code when 'M' then 'M' when 'F' then 'F' when 'U' then 'U' when 'I' then 'U' end
        as sex,
    p.dob,
    p.ethnicity_code as ethnic,
    cast(null as varchar) as upn,
    cast(null as varchar) as mother,
    cast(null as date) as mc_dob,
    p.person_id in (select e.person_id from ret_903__episodes as e) as looked_after
from stg_ssd__person as p
where
    p.person_id in (select e.person_id from ret_903__episodes as e)
    or p.person_id in (select o.person_id from ret_903__oc3 as o)
