-- Adoption decisions with their child and period of care (source_contract.md §5.11).
-- Grain: one row per ssd_permanence record whose child is in ssd_person (orphans dropped).
-- The child is found by perm_person_id = pers_person_id, or = pers_legacy_id when the LA uses
-- the legacy id (§7 problem 11). The period of care is perm_cla_id, else the child's period
-- open on the decision date (latest starting one if several). entered_care_date is that
-- period's clae_entered_care_date (earliest episode start if none is recorded);
-- adoption_order_date is the permanence order date when its type is ADOPTION, else the
-- period's ceased date with reason E11/E12. No masking here: lists apply D3.
with permanence as (
    select * from stg_ssd__permanence
),

-- the id ssd_permanence holds for the child: the person id, or the legacy id (D6)
person as (
    select
        person_id,
        case
            when child_id_field() = 'pers_legacy_id' then legacy_id
            else person_id
        end as join_key
    from stg_ssd__person
    where person_id is not null
),

episodes as (
    select * from stg_ssd__cla_episodes
),

linked as (
    select
        pm.*,
        pe.person_id
    from permanence as pm
    inner join person as pe on pm.source_person_id = pe.join_key
),

periods as (
    select
        person_id,
        coalesce(period_of_care_id, episode_id) as period_key,
        period_of_care_id,
        coalesce(min(entered_care_date), min(episode_start_date)) as entered_care_date,
        case
            when count(*) filter (where episode_ceased_date is null) > 0 then null
            else max(episode_ceased_date)
        end as period_end_date,
        max(episode_ceased_date) filter (where ceased_reason_code in ('E11', 'E12'))
            as adoption_ceased_date
    from episodes
    where person_id is not null
    group by person_id, coalesce(period_of_care_id, episode_id), period_of_care_id
),

period_by_id as (
    select
        l.permanence_id,
        p.period_key
    from linked as l
    inner join periods as p on l.period_of_care_id = p.period_of_care_id
    qualify row_number() over (
        partition by l.permanence_id order by p.entered_care_date desc, p.period_key asc
    ) = 1
),

period_open_on_decision as (
    select
        l.permanence_id,
        p.period_key
    from linked as l
    inner join periods as p
        on
            l.person_id = p.person_id
            and p.entered_care_date <= l.decision_date
            and (p.period_end_date is null or p.period_end_date >= l.decision_date)
    qualify row_number() over (
        partition by l.permanence_id order by p.entered_care_date desc, p.period_key asc
    ) = 1
),

final as (
    select
        l.permanence_id,
        l.person_id,
        l.source_person_id,
        l.period_of_care_id,
        p.period_key as resolved_period_key,
        case
            when bi.period_key is not null then 'perm_cla_id'
            when bo.period_key is not null then 'open_on_decision'
        end as period_basis,
        p.entered_care_date,
        l.decision_date,
        l.placement_order_date,
        l.matched_date,
        l.placed_for_adoption_date,
        l.placed_ffa_cp_date,
        l.decision_reversed_date,
        l.decision_reversed_reason_code,
        coalesce(
            case when l.permanence_order_type_code = 'ADOPTION' then l.permanence_order_date end,
            p.adoption_ceased_date
        ) as adoption_order_date,
        l.adopter_family_id
    from linked as l
    left join period_by_id as bi on l.permanence_id = bi.permanence_id
    left join period_open_on_decision as bo on l.permanence_id = bo.permanence_id
    left join periods as p on coalesce(bi.period_key, bo.period_key) = p.period_key
)

select * from final
