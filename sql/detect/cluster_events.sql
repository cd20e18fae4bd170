-- Co-actions inside clusters: coactivity_events rows whose two accounts share a cluster.
-- detect_members(account_id, cluster_id) is registered by the caller.
select e.account_a, e.account_b, e.behavior, e.target, e.a_at, e.b_at, e.lag_s
from coactivity_events as e
join detect_members as ma on ma.account_id = e.account_a
join detect_members as mb on mb.account_id = e.account_b
where ma.cluster_id = mb.cluster_id
