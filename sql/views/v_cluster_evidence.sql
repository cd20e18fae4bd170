-- v_cluster_evidence: the strongest shared actions behind each cluster.
-- grain: one row per piece of evidence; key: (cluster_id, rank).
-- handles: the screen names of `accounts`, in the same order.
with involved as (
    select cluster_id, rank,
           unnest(accounts) as account_id,
           generate_subscripts(accounts, 1) as position
    from cluster_evidence
),
named as (
    select i.cluster_id, i.rank,
           list(coalesce(a.handle, i.account_id) order by i.position) as handles
    from involved as i
    left join v_accounts as a using (account_id)
    group by i.cluster_id, i.rank
)
select
    e.cluster_id, e.rank, e.behavior, e.target, e.accounts,
    coalesce(n.handles, []) as handles,
    e.times, e.max_lag_s, e.sample_text
from cluster_evidence as e
left join named as n using (cluster_id, rank)
order by e.cluster_id, e.rank
