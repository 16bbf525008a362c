-- CIN census: ChildIdentifiers and ChildCharacteristics, one row per child with a CIN episode in
-- the census (ret_cin__details). UPN, former UPN and the reason a UPN is unknown are not in the
-- SSD: left blank (DfE queries them, never invented). Sex: M, F or U (CS-GENDER I -> U, the
-- census has no indeterminate code; U for a child not born by A). A birth or a death after A
-- is blank (D3).
select
    p.person_id,
    p.child_unique_id as la_child_id,
    cast(null as varchar) as upn,
    cast(null as varchar) as former_upn,
    cast(null as varchar) as upn_unknown,
    -- a child not yet born at A (a pre-birth referral) has the expected date only (DfE 8520:
    -- no birth date after the census period)
    masked(p.dob) as person_birth_date,
    case when masked(p.dob) is null then p.expected_dob end as expected_person_birth_date,
    -- an unborn child's sex is U (DfE 8750)
    case
        when p.dob > as_at() or (p.dob is null and p.expected_dob is not null) then 'U'
        when p.gender_code in ('M', 'F', 'U') then p.gender_code
        when p.gender_code = 'I' then 'U'
    end as sex,
    masked(p.death_date) as person_death_date,
    p.ethnicity_code as ethnicity
from stg_ssd__person as p
where p.person_id in (select d.person_id from ret_cin__details as d)
