-- DD05 Missing episodes without a return interview (indicators.md §3 CIC04 drill-down).
-- Question: which missing episodes in the 12 months to A, of children on List 8, were not
-- followed by a return interview that was offered and accepted?
-- Grain: one row per missing episode (stg_ssd__missing type M, not absence A) of a List 8
-- child, starting on or after the later of W12's first day and the start of the current
-- period of care (col 8) and on or before A, as List 8 counts them in col 29; episodes known
-- to end after A (child still missing at A) are left out. Kept when the interview was not
-- offered, offered but not accepted, or not recorded (flag blank or NA). Latest first.
with list_8 as (
    select * from annex_a_list_08_children_in_care
),

missing as (
    select * from stg_ssd__missing
),

episodes as (
    select
        l.child_unique_id,
        l.age,
        l.allocated_team,
        l.allocated_worker,
        m.missing_id,
        m.start_date,
        m.end_date,
        m.rhi_offered_flag,
        m.rhi_accepted_flag
    from list_8 as l
    inner join missing as m
        on
            l._person_id = m.person_id
            and m.missing_type_code = 'M'
            and m.start_date between greatest(l.date_started_looked_after, w12_start())
            and as_at()
            and (m.end_date is null or m.end_date <= as_at())
),

labelled as (
    select
        *,
        case
            when rhi_offered_flag = 'N' then 'Not offered'
            when rhi_offered_flag = 'Y' and rhi_accepted_flag = 'N' then 'Offered, not accepted'
            when rhi_offered_flag = 'Y' then 'Offered, acceptance not recorded'
            else 'Not recorded'
        end as status
    from episodes
    where
        not (rhi_offered_flag = 'Y' and rhi_accepted_flag = 'Y')
        or rhi_offered_flag is null
        or rhi_accepted_flag is null
)

select
    child_unique_id as "Child Unique ID",
    age as "Age",
    start_date as "Missing Episode Start Date",
    end_date as "Missing Episode End Date",
    case rhi_offered_flag when 'Y' then 'Y' when 'N' then 'N' end as "Return Interview Offered",
    case rhi_accepted_flag when 'Y' then 'Y' when 'N' then 'N' end
        as "Return Interview Accepted",
    status as "Return Interview Status",
    allocated_team as "Allocated Team",
    allocated_worker as "Allocated Worker"
from labelled
order by start_date desc, child_unique_id asc, missing_id asc
