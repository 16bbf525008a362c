-- Allocated-case-worker (CW) involvements with the worker's and team's names
-- (source_contract.md §4.27, §6.4). Grain: one row per CW involvement.
-- person_id falls back to the involvement's episode's child when the involvement has none.
-- end_date is masked (D3): an allocation ending after A was still open at A.
with involvements as (
    select * from stg_ssd__involvements
    where role_code = 'CW'
),

referrals as (
    select
        referral_id,
        person_id
    from stg_ssd__cin_episodes
),

names as (
    select
        raw,
        worker_name,
        department_name
    from int_workers__names
    where field = 'ssd_involvements.invo_professional_id'
),

teams as (
    select
        team_id,
        min(team_name) as team_name
    from stg_ssd__department
    where team_id is not null and team_name is not null
    group by team_id
)

select
    i.involvement_id,
    coalesce(i.person_id, r.person_id) as person_id,
    i.referral_id,
    i.start_date,
    masked(i.end_date) as end_date,
    i.team_id,
    t.team_name,
    n.worker_name,
    n.department_name
from involvements as i
left join referrals as r on i.referral_id = r.referral_id
left join names as n on i.professional_id = n.raw
left join teams as t on i.team_id = t.team_id
where i.start_date <= as_at()
