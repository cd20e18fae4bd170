-- v_cluster_members: the accounts of each shared-operator cluster.
-- grain: one row per clustered account; key: account_id (an account is in one cluster at most).
-- strength: how firmly detection ties the account to its cluster (higher = more certain).
select
    oc.cluster_id,
    oc.account_id,
    a.handle,
    a.display_name,
    a.category,
    oc.strength,
    coalesce(a.posts, 0) as posts,
    a.first_post_at,
    a.last_post_at,
    a.created_on,
    a.handles
from operator_clusters as oc
left join v_accounts as a using (account_id)
