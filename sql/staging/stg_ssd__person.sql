-- Staging: ssd_person. Grain: one row per person.
-- Placeholders nulled; gender (fallback sex) and ethnicity mapped to national codes. The raw
-- values are kept beside the codes so that "no value" and "unmapped value" stay distinct.
with source as (
    select * from raw_ssd_person
),

cleaned as (
    select
        clean_text(pers_person_id) as person_id,
        clean_text(pers_legacy_id) as legacy_id,
        coalesce(clean_text(pers_gender), clean_text(pers_sex)) as gender_raw,
        case
            when clean_text(pers_gender) is not null
                then map_code('ssd_person.pers_gender', pers_gender)
            else map_code('ssd_person.pers_sex', pers_sex)
        end as gender_code,
        clean_text(pers_ethnicity) as ethnicity_raw,
        map_code('ssd_person.pers_ethnicity', pers_ethnicity) as ethnicity_code,
        clean_date(pers_dob) as dob,
        clean_date(pers_expected_dob) as expected_dob,
        clean_date(pers_death_date) as death_date
    from source
)

select
    *,
    case
        when child_id_field() = 'pers_legacy_id' then legacy_id else person_id
    end as child_unique_id
from cleaned
