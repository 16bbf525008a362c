-- DD02 ICPCs outside 15 working days of the strategy discussion (indicators.md §2 HP09
-- drill-down, §6.2).
-- Question: which initial child protection conferences were held more than 15 working days
-- after the strategy discussion that started the section 47 enquiry, and which open enquiries
-- have already passed 15 working days with no conference and no decision?
-- Grain: one row per List 5 enquiry, either
--   * ICPC held in W6 (as HP09) with WD(S47 start, ICPC) > 15, or an ICPC dated before its S47
--     start (a data error HP09 keeps out of its numerator); or
--   * open at A (stg_ssd__s47_enquiry end date blank or after A), no ICPC date and no decision
--     (col 8 blank), with WD(S47 start, A) > 15.
-- Working days counted from the strategy discussion (day 0).
with list_5 as (
    select * from annex_a_list_05_s47_icpc
),

enquiries as (
    select * from stg_ssd__s47_enquiry
),

flagged as (
    select
        l.*,
        case
            when l.icpc_date is not null then wd(l.s47_start_date, l.icpc_date)
            else wd(l.s47_start_date, as_at())
        end as working_days,
        case
            when l.icpc_date is not null and l.icpc_date < l.s47_start_date
                then 'ICPC dated before the S47 start (data error)'
            when l.icpc_date is not null then 'ICPC held after 15 working days'
            else 'No ICPC or decision yet, over 15 working days'
        end as status
    from list_5 as l
    left join enquiries as e on l._record_id = e.enquiry_id
    where
        (
            l.icpc_date between w6_start() and as_at()
            and (
                l.icpc_date < l.s47_start_date
                or wd(l.s47_start_date, l.icpc_date) > 15
            )
        )
        or (
            l.icpc_date is null
            and l.icpc_unnecessary is null
            and (e.end_date is null or e.end_date > as_at())
            and wd(l.s47_start_date, as_at()) > 15
        )
)

select
    child_unique_id as "Child Unique ID",
    age as "Age",
    s47_start_date as "S47 Start Date (Strategy Discussion)",
    icpc_date as "ICPC Date",
    working_days as "Working Days",
    status as "Status",
    allocated_team as "Allocated Team",
    allocated_worker as "Allocated Worker"
from flagged
order by icpc_date is null, working_days desc, child_unique_id asc, _record_id asc
