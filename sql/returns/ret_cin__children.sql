-- CIN census: ChildIdentifiers and ChildCharacteristics, one row per child with a CIN episode in
-- the census (ret_cin__details). UPN, former UPN and the reason a UPN is unknown are not in the
-- SSD: left blank (DfE queries them, never invented). Sex: M, F or U (CS-GENDER I -> U, the
-- census has no indeterminate code). A death after A is blank (D3).
select
    p.person_id,
    p.child_unique_id as la_child_id,
    cast(null as varchar) as upn,
    cast(null as varchar) as former_upn,
    cast(null as varchar) as upn_unknown,
    p.dob as person_birth_date,
    case when p.dob is null then p.expected_dob end as expected_person_birth_date,
    case p.gender_code when 'M' then 'M' when 'F' then 'F' when 'U' then 'U' when 'I' then 'U' end
        as sex,
    masked(p.death_date) as person_death_date,
    p.ethnicity_code as ethnicity
from stg_ssd__person as p
where p.person_id in (select d.person_id from ret_cin__details as d)
