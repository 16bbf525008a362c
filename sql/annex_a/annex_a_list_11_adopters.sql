-- Annex A List 11: Adopters (annex_a.md §5 List 11; source_contract.md §5.12, §8.1).
-- Grain: one row per individual (prospective) adopter (a couple is two rows).
-- In scope (D25): Stage 1 start or application on or before A, not left the process before W12
-- and no adoption order before W12. Dates after A are blank and so are the values that depend
-- on them (D3): children placed only when placed by A, leaving reason only with its date.
-- Columns beginning with "_" are for validation and worklists only; they are never published.
with adopters as (
    select * from stg_ssd__adopters
),

in_scope as (
    select *
    from adopters
    where
        adopter_id is not null
        and least(
            coalesce(stage1_start_date, application_date),
            coalesce(application_date, stage1_start_date)
        ) <= as_at()
        and not coalesce(left_process_date < w12_start(), false)
        and not coalesce(adoption_order_date < w12_start(), false)
),

as_known_at_a as (
    select
        *,
        masked(placed_date) as placed_by_a,
        masked(left_process_date) as left_by_a
    from in_scope
),

final as (
    select
        adopter_id as individual_adopter_id,
        family_id as family_identifier,
        case
            when gender_raw is null then annex_code('CS-GENDER', 'U')
            else annex_code('CS-GENDER', gender_code)
        end as gender,
        case
            when ethnicity_raw is null then annex_code('CS-ETH', 'NOBT')
            else annex_code('CS-ETH', ethnicity_code)
        end as ethnicity,
        annex_code('CS-YN', disability_code) as disability,
        case
            when ffa_raw is null then annex_code('CS-FFA', 'N')
            else annex_code('CS-FFA', ffa_code)
        end as fostering_for_adoption,
        masked(enquiry_date) as date_enquiry_received,
        masked(stage1_start_date) as date_stage1_started,
        masked(stage1_end_date) as date_stage1_ended,
        masked(stage2_start_date) as date_stage2_started,
        masked(stage2_end_date) as date_stage2_ended,
        masked(application_date) as date_application_submitted,
        masked(approval_date) as date_application_approved,
        masked(matched_date) as date_matched,
        placed_by_a as date_placed,
        case when placed_by_a is not null then children_placed end as children_placed,
        masked(adoption_order_date) as date_adoption_order,
        left_by_a as date_left_process,
        case
            when left_by_a is not null
                then annex_code('CS-ADOPTLEAVE', left_process_reason_code)
        end as reason_left_process,
        adopter_id as _record_id
    from as_known_at_a
)

select *
from final
order by individual_adopter_id, _record_id
