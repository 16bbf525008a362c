-- CIN census: Section47, one row per S47 enquiry of a census CIN episode that started in the
-- census year (on or after the census start, on or before A). InitialCPCtarget and
-- DateOfInitialCPC come from the enquiry's initial conference (its earliest, held by A);
-- ICPCnotRequired is true when the enquiry ended with no conference to follow (its outcome says
-- no conference, or it ended NFA) and none was held.
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
        when c.icpc_date is not null then 'false'
        when
            masked(e.end_date) is not null
            and (e.conference_flag = 'N' or e.nfa_flag = 'Y')
            then 'true'
        when masked(e.end_date) is not null then 'false'
    end as icpc_not_required
from stg_ssd__s47_enquiry as e
inner join ret_cin__details as d
    on e.referral_id = d.referral_id
left join conference as c
    on e.enquiry_id = c.enquiry_id
where e.start_date between census_start() and as_at()
