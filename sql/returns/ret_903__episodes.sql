-- SSDA903: Episodes, one row per episode of care open at any time in the collection year (the day
-- after A a year earlier to A, A = 31 March). A new episode starts whenever the legal status or
-- the placement changes (DfE's guidance): the breaks are the period's start, and the start of
-- every legal status and placement within the period, on or before A; a break where neither
-- changed is not an episode. Within a period: RNE S at its start, L (legal status only), P
-- (placement only) or B (both); a move to A3/A5 (placed for adoption with the current foster
-- carer: same carer) is T (placement only) or U (with legal status); REC X1 and DEC = the next
-- episode's start. The last episode ends with the period (its ceased reason), or is open (DEC
-- and REC blank) when the period ends after A. DEC is the column dec_date (dec is a keyword).
-- REASON_PLACE_CHANGE: the reason the SSD gives for the ended placement, on an episode that
-- ends in a change of placement. Episodes that ended before the collection year are not reported.
-- HOME_POST is not in the SSD (blank). PLACE: H5 is reported as K3 from 2025/26, and Z1 by the
-- CMS's sub-code Z11-Z14 (below); PLACE_PROVIDER is blank for T0-T4 and Z11-Z14.
with periods as (
    select *
    from int_cla__periods_of_care
    where
        start_date <= as_at()
        and (end_date is null or end_date >= census_start())
        and not short_breaks_only
),

placements as (
    select
        l.*,
        p.person_id as period_person_id
    from stg_ssd__cla_placement as l
    inner join periods as p
        on l.period_of_care_id = p.period_of_care_id
    where l.start_date is not null and l.start_date <= as_at()
),

breaks as (
    select
        p.person_id,
        p.period_of_care_id,
        p.start_date as decom
    from periods as p
    union
    select
        l.period_person_id as person_id,
        l.period_of_care_id,
        l.start_date as decom
    from placements as l
    inner join periods as p
        on l.period_of_care_id = p.period_of_care_id
    where l.start_date > p.start_date and (p.end_date is null or l.start_date < p.end_date)
    union
    select
        p.person_id,
        p.period_of_care_id,
        s.start_date as decom
    from stg_ssd__legal_status as s
    inner join periods as p
        on s.person_id = p.person_id
    where
        s.start_date > p.start_date
        and s.start_date <= as_at()
        and (p.end_date is null or s.start_date < p.end_date)
),

attributes as (
    select
        b.person_id,
        b.period_of_care_id,
        b.decom,
        (
            select s.legal_status_code
            from stg_ssd__legal_status as s
            where
                s.person_id = b.person_id
                and s.start_date <= b.decom
                and (s.end_date is null or s.end_date > b.decom)
            order by s.start_date desc, s.legal_status_id desc
            limit 1
        ) as ls,
        (
            select l.placement_id
            from placements as l
            where
                l.period_of_care_id = b.period_of_care_id
                and l.start_date <= b.decom
                and (l.end_date is null or l.end_date > b.decom)
            order by l.start_date desc, l.placement_id desc
            limit 1
        ) as placement_id
    from breaks as b
),

changes as (
    select
        *,
        lag(ls) over w as prev_ls,
        lag(placement_id) over w as prev_placement_id,
        row_number() over w as n
    from attributes
    window w as (partition by person_id, period_of_care_id order by decom)
),

kept as (
    select
        c.*,
        case
            when c.n = 1 then 'S'
            when (c.placement_id is not distinct from c.prev_placement_id) then 'L'
            when t.placement_type_code in ('A3', 'A5') and (c.ls is distinct from c.prev_ls)
                then 'U'
            when t.placement_type_code in ('A3', 'A5') then 'T'
            when (c.ls is distinct from c.prev_ls) then 'B'
            else 'P'
        end as rne
    from changes as c
    left join placements as t
        on c.placement_id = t.placement_id
    where
        c.n = 1
        or (c.ls is distinct from c.prev_ls)
        or (c.placement_id is distinct from c.prev_placement_id)
),

episodes as (
    select
        *,
        lead(decom) over w as next_decom,
        lead(placement_id) over w as next_placement_id
    from kept
    window w as (partition by person_id, period_of_care_id order by decom)
),

need as (
    select
        e.person_id,
        e.period_of_care_id,
        e.decom,
        max(c.primary_need_code) as cin
    from episodes as e
    inner join stg_ssd__cla_episodes as c
        on
            e.person_id = c.person_id
            and c.episode_start_date <= e.decom
            and (c.period_of_care_id = e.period_of_care_id or c.period_of_care_id is null)
            and c.episode_start_date = (
                select max(c2.episode_start_date)
                from stg_ssd__cla_episodes as c2
                where
                    c2.person_id = e.person_id
                    and c2.episode_start_date <= e.decom
                    and (
                        c2.period_of_care_id = e.period_of_care_id
                        or c2.period_of_care_id is null
                    )
            )
    group by e.person_id, e.period_of_care_id, e.decom
)

select
    e.person_id,
    e.period_of_care_id,
    p.child_unique_id as child,
    e.decom,
    e.rne,
    e.ls,
    coalesce(n.cin, o.primary_need_code) as cin,
    -- H5 (semi-independent living, still in Annex A's list) left the 903's codes in 2025/26
    -- (DfE 146); since 28 October 2023 such a setting is Ofsted-registered supported
    -- accommodation, K3 (DfE 503D takes an H5 open at the year's start to continue as K3)
    -- Z1 ("other placement", kept by Annex A) was split by DfE into Z11-Z14 for 2025/26 (146; a
    -- Z1 open at the year's start continues as one of them, 503D): the sub-code is what the
    -- CMS records (placement_subtype_code); the SSD cannot tell which a bare Z1 is, so it stays
    -- Z1 and DfE 146 names it, to be recoded at source. Earlier years report Z1.
    case
        when census_start() < date '2025-04-01' then l.placement_type_code
        when l.placement_type_code = 'H5' then 'K3'
        when l.placement_type_code = 'Z1' then coalesce(l.placement_subtype_code, 'Z1')
        else l.placement_type_code
    end as place,
    -- DfE 213, 226: a temporary placement (T0-T4) has no provider and no reason for its change;
    -- from 2025/26 neither has an other placement Z11-Z14 (213, 526)
    case
        when
            l.placement_type_code not like 'T%'
            and not (census_start() >= date '2025-04-01' and l.placement_subtype_code is not null)
            then l.provider_code
    end as place_provider,
    coalesce(e.next_decom, o.end_date) as dec_date,
    case when e.next_decom is not null then 'X1' else o.ceased_reason_code end as rec,
    case
        when
            e.next_decom is not null
            and (e.next_placement_id is distinct from e.placement_id)
            and l.placement_type_code not like 'T%'
            then l.change_reason_code
    end as reason_place_change,
    cast(null as varchar) as home_post,
    l.postcode as pl_post,
    l.urn
from episodes as e
inner join periods as o
    on e.period_of_care_id = o.period_of_care_id
inner join stg_ssd__person as p
    on e.person_id = p.person_id
left join placements as l
    on e.placement_id = l.placement_id
left join need as n
    on
        e.person_id = n.person_id
        and e.period_of_care_id = n.period_of_care_id
        and e.decom = n.decom
where coalesce(e.next_decom, o.end_date, census_start()) >= census_start()
