-- SSDA903: AD1, one row per child in the header adopted in the collection year (a period that
-- ended E11 or E12 in it): DATE_INT (the decision that the child should be placed for adoption),
-- DATE_MATCH, FOSTER_CARE (adopted by their foster carer, 1/0), NB_ADOPTR and SEX_ADOPTR from the
-- adopters of the family (MM, FF, MF; M1, F1 for one adopter). LS_ADOPTR is not in the SSD.
with adopted as (
    select distinct person_id
    from int_cla__periods_of_care
    where ceased_reason_code in ('E11', 'E12') and end_date between census_start() and as_at()
),

decision as (
    select
        source_person_id as person_id,
        max(decision_date) as decision_date,
        max(matched_date) as matched_date,
        max(adopted_by_carer_flag) as adopted_by_carer_flag,
        max(adopter_family_id) as family_id
    from stg_ssd__permanence
    group by source_person_id
),

family as (
    select
        family_id,
        count(*) as adopters,
        count(*) filter (where gender_code = 'M') as men,
        count(*) filter (where gender_code = 'F') as women
    from stg_ssd__adopters
    group by family_id
)

select
    h.person_id,
    h.child,
    h.dob,
    d.decision_date as date_int,
    d.matched_date as date_match,
    case d.adopted_by_carer_flag when 'Y' then '1' when 'N' then '0' end as foster_care,
    cast(f.adopters as varchar) as nb_adoptr,
    case
        when f.adopters = 1 and f.men = 1 then 'M1'
        when f.adopters = 1 and f.women = 1 then 'F1'
        when f.adopters = 2 and f.men = 2 then 'MM'
        when f.adopters = 2 and f.women = 2 then 'FF'
        when f.adopters = 2 and f.men = 1 and f.women = 1 then 'MF'
    end as sex_adoptr,
    cast(null as varchar) as ls_adoptr
from ret_903__header as h
inner join adopted as a
    on h.person_id = a.person_id
left join decision as d
    on h.person_id = d.person_id
left join family as f
    on d.family_id = f.family_id
