-- HP01 Contacts converted to a referral (indicators.md §2 HP01 (c), §6.2). Grain: one row.
-- N = 1 working day (the spec's default: the referral-decision practice standard).
-- Denominator: List 1 rows whose N-WD follow-up window ends on or before A (WD(col 6, A) >= N).
-- Numerator: of those, rows for which List 3 holds a referral of the same child dated on or
-- after the contact date and no more than N WD after it (WD(contact, referral) <= N).
with list_1 as (
    select * from annex_a_list_01_contacts
),

list_3 as (
    select * from annex_a_list_03_referrals
),

followed_up as (
    select
        c._record_id,
        exists(
            select 1
            from list_3 as r
            where
                r._person_id = c._person_id
                and r.date_of_referral >= c.date_of_contact
                and wd(c.date_of_contact, r.date_of_referral) <= 1
        ) as is_converted
    from list_1 as c
    where wd(c.date_of_contact, as_at()) >= 1
),

counts as (
    select
        count(*) filter (where is_converted) as converted,
        count(*) as contacts
    from followed_up
)

select
    'HP01' as indicator_id,
    cast(converted as double) as numerator,
    cast(contacts as double) as denominator,
    round(100.0 * converted / nullif(contacts, 0), 1) as value,
    w6_start() as period_start,
    as_at() as period_end
from counts
