-- Non-content traces per account when account_profile is absent: most-used client app and the
-- creation day. grain: one row per account; key: account_id.
with clients as (
    select account_id, client, count(*) as n
    from posts
    where client is not null and client <> ''
    group by all
),
created as (
    select account_id, min(created_on) as created_on
    from accounts
    group by account_id
)
select coalesce(c.account_id, d.account_id) as account_id, c.client, d.created_on
from (select account_id, arg_max(client, n) as client from clients group by account_id) as c
full join created as d using (account_id)
