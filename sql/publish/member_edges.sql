-- member_edges: co-activity between clustered accounts, summed over periods.
-- grain: one row per (account pair, behaviour); key: (account_a, account_b, behavior).
-- shared_targets is summed over periods (a target shared in two periods counts twice).
with clustered as (
    select account_id from v_cluster_members
)
select
    account_a, account_b, behavior,
    sum(weight) as weight,
    sum(shared_events)::bigint as shared_events,
    sum(shared_targets)::bigint as shared_targets,
    min(first_at) as first_at,
    max(last_at) as last_at
from v_coactivity
where account_a in (select account_id from clustered)
  and account_b in (select account_id from clustered)
group by account_a, account_b, behavior
order by account_a, account_b, behavior
