-- Macros shared by every model. Values arrive only through tables (run_params, ref_*) that
-- Python fills with bound data; nothing here is formatted from user input.

-- Run parameters -----------------------------------------------------------------------------
create or replace macro as_at() as (select as_at from run_params);
create or replace macro w6_start() as (select w6_start from run_params);
create or replace macro w12_start() as (select w12_start from run_params);
create or replace macro annex_version() as (select annex_version from run_params);
create or replace macro child_id_field() as (select child_id_field from run_params);

-- Cleaning (source_contract.md §7: placeholders, sentinel ids, placeholder dates) -----------
create or replace macro clean_text(v) as
    case
        when v is null or trim(cast(v as varchar)) = '' then null
        when lower(trim(cast(v as varchar))) in (select value from ref_placeholder_text) then null
        else trim(cast(v as varchar))
    end;
create or replace macro clean_date(d) as
    case when d < (select placeholder_date_before from run_params) then null else d end;
-- Decision D3: a date after A has not happened yet.
create or replace macro masked(d) as case when d > as_at() then null else d end;

-- Calendar ----------------------------------------------------------------------------------
-- Same day-of-month n months later (negative: earlier), clamped to the month end (D1).
create or replace macro add_months(d, n) as cast(d + to_months(n) as date);
-- Completed years at a; 29 February birthdays are reached on 1 March in common years (D4).
create or replace macro age_at(dob, a) as
    year(a) - year(dob) - case
        when month(a) < month(dob) or (month(a) = month(dob) and day(a) < day(dob)) then 1
        else 0
    end;
-- Working days after s up to and including e (start day = day 0; indicators.md §6.2).
create or replace macro wd(s, e) as
    (select wd_index from ref_calendar where d = e)
    - (select wd_index from ref_calendar where d = s);

-- Code mapping (source_contract.md §6) ------------------------------------------------------
create or replace macro norm_raw(v) as
    lower(regexp_replace(trim(cast(v as varchar)), '\s+', ' ', 'g'));
-- Stage 1: raw CMS value of field f -> national code, or null when unmapped (reported).
create or replace macro map_code(f, v) as
    coalesce(
        (select m.code from ref_code_map as m where m.field = f and m.raw_key = norm_raw(v)),
        (
            select m.code
            from ref_code_map as m
            where
                m.field = f
                and m.prefix_rule
                and m.raw_key = lower(regexp_extract(trim(cast(v as varchar)),
                                                     '^[A-Za-z0-9]+', 0))
        )
    );
-- Stage 2: national code -> the Annex A code string of the run's version.
create or replace macro annex_code(p_list, p_code) as
    (
        select r.string
        from ref_annex_code as r
        where r.code_list = p_list and r.national = p_code and r.version = annex_version()
    );
