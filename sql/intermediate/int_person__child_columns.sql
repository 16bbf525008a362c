-- The shared child columns (annex_a.md §3.11) for every person, as at A.
-- Grain: one row per person. Lists 1-10 join to it on person_id.
-- dob_basis says how Date of Birth was decided (D5): recorded | expected_past (an expected or
-- estimated date on or before A used as the date of birth: warned) | unborn | missing (reported).
with person as (
    select * from stg_ssd__person
),

disability as (
    select
        person_id,
        bool_or(disability_code <> 'NONE') as any_disability
    from stg_ssd__disability
    where disability_code is not null
    group by person_id
),

birth as (
    select
        person_id,
        case
            when dob is not null and dob <= as_at() then 'recorded'
            when dob is not null then 'unborn'
            when expected_dob is not null and expected_dob > as_at() then 'unborn'
            when expected_dob is not null then 'expected_past'
            else 'missing'
        end as dob_basis,
        case
            when dob is not null and dob <= as_at() then dob
            else expected_dob
        end as shown_dob
    from person
),

final as (
    select
        p.person_id,
        p.child_unique_id,
        case
            when p.gender_raw is null then annex_code('CS-GENDER', 'U')
            else annex_code('CS-GENDER', p.gender_code)
        end as gender,
        case
            when p.ethnicity_raw is null then annex_code('CS-ETH', 'NOBT')
            else annex_code('CS-ETH', p.ethnicity_code)
        end as ethnicity,
        b.shown_dob as date_of_birth,
        case
            when b.dob_basis = 'unborn' then -1
            when b.dob_basis = 'missing' then null
            else age_at(b.shown_dob, as_at())
        end as age,
        b.dob_basis,
        case
            when d.any_disability then annex_code('CS-YNU', 'Y')
            when d.any_disability = false then annex_code('CS-YNU', 'N')
            else annex_code('CS-YNU', 'U')
        end as disability
    from person as p
    inner join birth as b on p.person_id = b.person_id
    left join disability as d on p.person_id = d.person_id
    where p.person_id is not null
)

select * from final
