-- Client apps of clustered accounts: one row per (cluster_id, client).
select m.cluster_id, p.client,
       count(distinct p.account_id) as accounts,
       count(distinct p.post_id) as events
from posts as p
join detect_members as m using (account_id)
where p.client is not null and p.client <> ''
group by all
