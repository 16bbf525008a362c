-- Periods of care (source_contract.md §5.9; annex_a.md §2 "period of care", D3, D21(a)).
-- Grain: one row per period of care of every child, built from the episodes that started on or
-- before A (an episode starting after A has not happened yet, D3).
-- period_of_care_id = clae_cla_id; where clae_cla_id is null the person's id-less episodes are
-- chained: an episode continues the previous one when it starts on the day that one ceased with
-- reason X1, else it starts a new period, named 'chain:' || its first episode id.
-- start_date = entered care date (fallback: earliest episode start); end_date = masked ceased
-- date of the last episode when its reason is not X1 (null = open at A); ceased_reason_code only
-- with an end_date. short_breaks_only: every looked-after legal status (NONLAC ignored) that
-- overlaps the period maps to V1/V3/V4 (statuses only touching the period's first or last day
-- from outside are not overlapping). Read by List 6 (looked after at A) and List 8.
-- For List 8 also, per period: primary_need_code of the latest episode, last_iro_contact_date
-- (latest masked value of its episodes), open_on_w12_start (an episode started before W12 and
-- was open on its first day) and new_placements_w12 (episodes starting in W12 with reason for
-- new episode S, P or B): D21(c).
with episodes as (
    select *
    from stg_ssd__cla_episodes
    where
        person_id is not null
        and episode_start_date is not null
        and episode_start_date <= as_at()
),

-- id-less episodes: start a new chain unless the previous one ceased X1 on this start day
unchained as (
    select
        *,
        case
            when
                lag(episode_ceased_date) over w = episode_start_date
                and lag(ceased_reason_code) over w = 'X1'
                then 0
            else 1
        end as starts_chain
    from episodes
    where period_of_care_id is null
    window w as (partition by person_id order by episode_start_date, episode_id)
),

chained as (
    select
        *,
        sum(starts_chain) over (
            partition by person_id order by episode_start_date, episode_id
            rows between unbounded preceding and current row
        ) as chain_no
    from unchained
),

grouped as (
    select *
    from episodes
    where period_of_care_id is not null
    union all by name
    select
        * exclude (period_of_care_id, starts_chain, chain_no),
        'chain:' || first(episode_id) over (
            partition by person_id, chain_no order by episode_start_date, episode_id
        ) as period_of_care_id
    from chained
),

last_episode as (
    select
        person_id,
        period_of_care_id,
        masked(episode_ceased_date) as ceased_date,
        ceased_reason_code,
        primary_need_code
    from grouped
    qualify row_number() over (
        partition by person_id, period_of_care_id
        order by episode_start_date desc, episode_ceased_date desc nulls first, episode_id desc
    ) = 1
),

latest_referral as (
    select
        person_id,
        period_of_care_id,
        referral_id
    from grouped
    where referral_id is not null
    qualify row_number() over (
        partition by person_id, period_of_care_id
        order by episode_start_date desc, episode_id desc
    ) = 1
),

periods as (
    select
        g.person_id,
        g.period_of_care_id,
        coalesce(min(g.entered_care_date), min(g.episode_start_date)) as start_date,
        l.primary_need_code,
        max(masked(g.last_iro_contact_date)) as last_iro_contact_date,
        coalesce(bool_or(
            g.episode_start_date < w12_start()
            and (
                masked(g.episode_ceased_date) is null
                or masked(g.episode_ceased_date) >= w12_start()
            )
        ), false) as open_on_w12_start,
        count(*) filter (
            where g.episode_start_date >= w12_start() and g.start_reason_code in ('S', 'P', 'B')
        ) as new_placements_w12,
        case
            when
                l.ceased_date is not null
                and (l.ceased_reason_code is distinct from 'X1')
                then l.ceased_date
        end as end_date,
        case
            when
                l.ceased_date is not null
                and (l.ceased_reason_code is distinct from 'X1')
                then l.ceased_reason_code
        end as ceased_reason_code
    from grouped as g
    inner join last_episode as l
        on g.person_id = l.person_id and g.period_of_care_id = l.period_of_care_id
    group by
        g.person_id, g.period_of_care_id, l.ceased_date, l.ceased_reason_code, l.primary_need_code
),

short_breaks as (
    select
        p.person_id,
        p.period_of_care_id,
        bool_and(s.legal_status_code in ('V1', 'V3', 'V4')) as short_breaks_only
    from periods as p
    inner join stg_ssd__legal_status as s
        on
            p.person_id = s.person_id
            and s.legal_status_code is not null
            and s.legal_status_code <> 'NONLAC'
            and s.start_date <= coalesce(p.end_date, as_at())
            and (s.end_date is null or s.end_date >= p.start_date)
            -- only touching: ended on the first day after starting before it ...
            and not (s.end_date = p.start_date and s.start_date < p.start_date)
            -- ... or started on the last day of an ended period and went on after it
            and not (
                p.end_date is not null
                and s.start_date = p.end_date
                and p.start_date < p.end_date
                and (s.end_date is null or s.end_date > p.end_date)
            )
    group by p.person_id, p.period_of_care_id
)

select
    p.person_id,
    p.period_of_care_id,
    p.start_date,
    p.end_date,
    p.ceased_reason_code,
    r.referral_id,
    coalesce(b.short_breaks_only, false) as short_breaks_only,
    p.primary_need_code,
    p.last_iro_contact_date,
    p.open_on_w12_start,
    p.new_placements_w12
from periods as p
left join latest_referral as r
    on p.person_id = r.person_id and p.period_of_care_id = r.period_of_care_id
left join short_breaks as b
    on p.person_id = b.person_id and p.period_of_care_id = b.period_of_care_id
