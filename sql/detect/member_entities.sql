-- Hashtags and domains of clustered accounts: one row per (cluster_id, entity_type, value).
-- detect_members(account_id, cluster_id) is registered by the caller.
select m.cluster_id, e.entity_type, e.value,
       count(distinct e.account_id) as accounts,
       count(distinct e.post_id) as events
from post_entities as e
join detect_members as m using (account_id)
where e.entity_type in ('hashtag', 'domain')
group by all
