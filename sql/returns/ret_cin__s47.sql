-- CIN census: Section47, one row per S47 enquiry of a census CIN episode that was open at any
-- time in the census year (started on or before A, not ended before the census start) or whose
-- initial conference was held in it: a CP plan starting in the year meets its conference here
-- (DfE 2885). InitialCPCtarget and
-- DateOfInitialCPC come from the enquiry's initial conference (its earliest, held by A);
-- ICPCnotRequired is 1 (true: DfE's rules read 1 or true) when the enquiry ended with no
-- conference to follow (its outcome says none, or it ended NFA) and none was held; 0 when one was
-- held or the ended enquiry says nothing; blank while it is open.
with conference as (
    select
        enquiry_id,
        min(target_date) as target_date,
        min(icpc_date) filter (where icpc_date <= as_at()) as icpc_date
    from stg_ssd__initial_cp_conference
    group by enquiry_id
)

select
    e.enquiry_id,
    e.referral_id,
    e.person_id,
    e.start_date as s47_actual_start_date,
    c.target_date as initial_cpc_target,
    c.icpc_date as date_of_initial_cpc,
    case
        when c.icpc_date is not null then '0'
        when
            masked(e.end_date) is not null
            and (e.conference_flag = 'N' or e.nfa_flag = 'Y')
            then '1'
        when masked(e.end_date) is not null then '0'
    end as icpc_not_required
from stg_ssd__s47_enquiry as e
inner join ret_cin__details as d
    on e.referral_id = d.referral_id
left join conference as c
    on e.enquiry_id = c.enquiry_id
where
    e.start_date <= as_at()
    and (
        masked(e.end_date) is null
        or e.end_date >= census_start()
        or c.icpc_date >= census_start()
    )
