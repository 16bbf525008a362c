-- DD09 The last N contacts from a given source (indicators.md §2 HP01 drill-down).
-- Question: what were the latest contacts from a given source (e.g. the out-of-hours service)
-- and which children were they about?
-- Parameters (DuckDB variables, set by annexa.pack.drilldowns.run_drilldowns):
--   drill_source  null = every source; else matched, case-insensitively, against the national
--                 code in List 1 col 7 (e.g. '5A' for "n) 5A: LA services"), the whole col 7
--                 string, the CMS source code, or (4 characters or more) as a substring of the
--                 CMS source description (e.g. 'out of hours').
--   drill_limit   rows to return, default 50.
-- Grain: one row per List 1 contact (W6), latest first.
with list_1 as (
    select * from annex_a_list_01_contacts
),

raw_contacts as (
    select
        cast(cont_contact_id as varchar) as contact_id,
        cast(cont_contact_source_code as varchar) as source_code_raw,
        cast(cont_contact_source_desc as varchar) as source_desc_raw
    from raw_ssd_contacts
),

params as (
    select
        nullif(lower(trim(cast(getvariable('drill_source') as varchar))), '') as source,
        coalesce(cast(getvariable('drill_limit') as integer), 50) as row_limit
),

contacts as (
    select
        l.*,
        regexp_extract(l.contact_source, '^\S+\)\s*([^:]+):', 1) as source_code,
        r.source_code_raw,
        r.source_desc_raw
    from list_1 as l
    left join raw_contacts as r on l._record_id = r.contact_id
),

chosen as (
    select c.*
    from contacts as c, params as p
    where
        p.source is null
        or lower(c.source_code) = p.source
        or lower(c.contact_source) = p.source
        or lower(trim(c.source_code_raw)) = p.source
        or (length(p.source) >= 4 and contains(lower(c.source_desc_raw), p.source))
    qualify
        row_number() over (order by c.date_of_contact desc, c._record_id desc)
        <= p.row_limit
)

select
    child_unique_id as "Child Unique ID",
    age as "Age",
    date_of_contact as "Date of Contact",
    contact_source as "Contact Source",
    source_desc_raw as "Source (CMS description)"
from chosen
order by date_of_contact desc, _record_id desc
