-- CIN census: Assessments, one row per assessment of a census CIN episode that was open at any
-- time in the census year: started on or before A and not authorised before the census start.
-- An authorisation after A is blank (D3). The factors identified at assessment are not in the SSD
-- (left blank, never invented); AssessmentInternalReviewDate likewise.
select
    a.assessment_id,
    a.referral_id,
    a.person_id,
    a.start_date as assessment_actual_start_date,
    cast(null as date) as assessment_internal_review_date,
    masked(a.auth_date) as assessment_authorisation_date
from stg_ssd__cin_assessments as a
inner join ret_cin__details as d
    on a.referral_id = d.referral_id
where
    a.start_date is not null
    and a.start_date <= as_at()
    and (masked(a.auth_date) is null or a.auth_date >= census_start())
