-- Macros shared by every model. Values arrive only through tables (run_params, ref_*) that
-- Python fills with bound data; nothing here is formatted from user input.

-- Run parameters -----------------------------------------------------------------------------
-- Held in DuckDB variables, set once from the run_params and ref_* tables: a macro that reads a
-- variable is a constant to the planner, where a scalar subquery per call made planning grow
-- quadratically with the number of calls in a model (2.4 s to plan List 8).
set variable as_at = (select as_at from run_params);
set variable w6_start = (select w6_start from run_params);
set variable w12_start = (select w12_start from run_params);
set variable annex_version = (select annex_version from run_params);
set variable child_id_field = (select child_id_field from run_params);
set variable placeholder_date_before = (select placeholder_date_before from run_params);
set variable placeholder_text = (select coalesce(list(value), []) from ref_placeholder_text);
-- field -> (raw value -> national code); prefix rules only for the fields the LA declares.
-- Nested by field: a MAP lookup scans its keys, so one field's few codes after ~50 fields is
-- half the cost of one map of ~500 "field|raw value" keys built per row (issue 10)
set variable code_map = (
    select map_from_entries(list(struct_pack(k := field, v := codes)))
    from (
        select field, map_from_entries(list(struct_pack(k := raw_key, v := code))) as codes
        from ref_code_map
        group by field
    )
);
set variable prefix_map = (
    select map_from_entries(list(struct_pack(k := field, v := codes)))
    from (
        select field, map_from_entries(list(struct_pack(k := raw_key, v := code))) as codes
        from ref_code_map
        where prefix_rule
        group by field
    )
);
-- working-day index by day offset from the calendar's first day (ref_calendar): a list lookup
-- is ~6x cheaper than a map lookup per call
set variable wd_first = (select min(d) from ref_calendar);
set variable wd_list = (select list(wd_index order by d) from ref_calendar);
-- "code list|national code" -> Annex A string of the run's version
set variable annex_map = (
    select map_from_entries(list(struct_pack(k := code_list || '|' || national, v := string)))
    from ref_annex_code
    where version = (select annex_version from run_params)
);

create or replace macro as_at() as getvariable('as_at');
create or replace macro w6_start() as getvariable('w6_start');
create or replace macro w12_start() as getvariable('w12_start');
create or replace macro annex_version() as getvariable('annex_version');
create or replace macro child_id_field() as getvariable('child_id_field');

-- Cleaning (source_contract.md §7: placeholders, sentinel ids, placeholder dates) -----------
-- trim: spaces, tabs and line breaks alike (a tab-padded code is the code, issue 14). Only a
-- value whose first or last character is a control character or a space is trimmed: DuckDB's
-- trim with a set of characters rebuilds the set for every row (~3x plain trim; nearly every
-- value needs nothing), and a string's ascii() and [-1] are its first and last code points, so
-- the result is the same. The set is a variable: chr() spelled out in every expansion of the
-- macro doubled the planning of the models (issue 10)
set variable trim_chars = ' ' || chr(9) || chr(10) || chr(13);
create or replace macro trim_space(v) as
    case
        when ascii(cast(v as varchar)) < 33 or ascii(cast(v as varchar)[-1]) < 33
            then trim(cast(v as varchar), getvariable('trim_chars'))
        else cast(v as varchar)
    end;
create or replace macro clean_text(v) as
    case
        when list_contains(getvariable('placeholder_text'), lower(trim_space(v)))
            then null
        else nullif(trim_space(v), '')
    end;
create or replace macro clean_date(d) as
    case when d < getvariable('placeholder_date_before') then null else d end;
-- Decision D3: a date after A has not happened yet.
create or replace macro masked(d) as case when d > as_at() then null else d end;

-- Calendar ----------------------------------------------------------------------------------
-- Same day-of-month n months later (negative: earlier), clamped to the month end (D1).
create or replace macro add_months(d, n) as cast(d + to_months(n) as date);
-- Statutory returns (sql/returns/): the census year ends on A (the reference date) and starts the
-- day after A a year earlier, as DfE's validators read it (1 April to 31 March).
create or replace macro census_start() as cast(add_months(as_at(), -12) + 1 as date);
-- Completed years at a; 29 February birthdays are reached on 1 March in common years (D4).
create or replace macro age_at(dob, a) as
    year(a) - year(dob) - case
        when month(a) < month(dob) or (month(a) = month(dob) and day(a) < day(dob)) then 1
        else 0
    end;
-- Working days after s up to and including e (start day = day 0; indicators.md §6.2).
create or replace macro wd(s, e) as
    getvariable('wd_list')[cast(e - getvariable('wd_first') as integer) + 1]
    - getvariable('wd_list')[cast(s - getvariable('wd_first') as integer) + 1];

-- Code mapping (source_contract.md §6) ------------------------------------------------------
-- Whitespace runs (RE2's \s: space, tab, line feed, form feed, carriage return) become one
-- space; a value with no such run to collapse (no tab, break or two spaces together, nearly
-- all) skips the regular expression, which DuckDB runs per row (issue 10: ~5x cheaper)
create or replace macro norm_raw(v) as
    case
        when
            contains(cast(v as varchar), '  ')
            or contains(cast(v as varchar), chr(9))
            or contains(cast(v as varchar), chr(10))
            or contains(cast(v as varchar), chr(12))
            or contains(cast(v as varchar), chr(13))
            then lower(trim(regexp_replace(cast(v as varchar), '\s+', ' ', 'g')))
        else lower(trim(cast(v as varchar)))
    end;
-- Stage 1: raw CMS value of field f -> national code, or null when unmapped (reported).
create or replace macro map_code(f, v) as
    coalesce(
        getvariable('code_map')[f][norm_raw(v)],
        getvariable('prefix_map')[f][
            lower(regexp_extract(trim_space(v), '^[A-Za-z0-9]+', 0))
        ]
    );
-- Stage 2: national code -> the Annex A code string of the run's version.
create or replace macro annex_code(p_list, p_code) as
    getvariable('annex_map')[p_list || '|' || p_code];
