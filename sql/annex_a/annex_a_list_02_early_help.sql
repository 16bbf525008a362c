-- Annex A List 2: Early help (annex_a.md §5 List 2; source_contract.md §5.3).
-- Grain: one row per early help episode open in W6 (start <= A and, with end dates after A
-- treated as not yet happened (D3), no end or end >= first day of W6); the episode stands for the
-- assessment (D13). Organisation: the LA's optional code -> name lookup, else the value as held.
-- Columns beginning with "_" are for validation and worklists only; they are never published.
with episodes as (
    select * from stg_ssd__early_help_episodes
),

children as (
    select * from int_person__child_columns
),

organisations as (
    select
        lower(trim(code)) as code_key,
        min(name) as organisation_name
    from ref_organisation
    group by lower(trim(code))
),

open_in_window as (
    select
        *,
        masked(end_date) as shown_end_date
    from episodes
    where
        start_date <= as_at()
        and (masked(end_date) is null or masked(end_date) >= w6_start())
),

final as (
    select
        c.child_unique_id,
        c.gender,
        c.ethnicity,
        c.date_of_birth,
        c.age,
        w.start_date as assessment_start_date,
        w.shown_end_date as assessment_completion_date,
        coalesce(o.organisation_name, w.organisation) as assessment_organisation,
        w.episode_id as _record_id,
        w.person_id as _person_id,
        c.dob_basis as _dob_basis
    from open_in_window as w
    inner join children as c on w.person_id = c.person_id
    left join organisations as o on lower(w.organisation) = o.code_key
)

select *
from final
order by child_unique_id, assessment_start_date, _record_id
