-- Staging: ssd_professionals. Grain: one row per worker.
with source as (
    select * from raw_ssd_professionals
)

select
    clean_text(prof_professional_id) as professional_id,
    clean_text(prof_staff_id) as staff_id,
    clean_text(prof_professional_name) as professional_name,
    clean_text(prof_professional_department) as department_name,
    clean_text(prof_social_worker_registration_no) as registration_no,
    clean_text(prof_professional_job_title) as job_title,
    prof_full_time_equivalency as fte
from source
