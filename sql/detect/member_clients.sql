-- Client apps of clustered accounts: one row per (cluster_id, client); all_accounts = accounts
-- of the whole archive using it (a client everybody uses is no trace).
-- detect_members(account_id, cluster_id) is registered by the caller.
with users as (
    select client, count(distinct account_id) as all_accounts
    from posts
    where client is not null and client <> ''
    group by client
)
select m.cluster_id, p.client,
       count(distinct p.account_id) as accounts,
       count(distinct p.post_id) as events,
       any_value(u.all_accounts) as all_accounts
from posts as p
join detect_members as m using (account_id)
join users as u using (client)
group by all
