-- v_clusters: shared-operator clusters as detected, with who is in them.
-- grain: one row per cluster; key: cluster_id.
-- status compares with detection's previous run (new, persisting, grown, shrunk, merged, split).
-- dominant_category: the researchers' label most members carry, where the archive has labels.
with category_counts as (
    select cluster_id, category, count(*) as n
    from v_cluster_members
    where category is not null
    group by cluster_id, category
),
dominant as (
    select cluster_id,
           arg_max(category, n) as dominant_category,
           max(n) / sum(n) as dominant_category_share
    from category_counts
    group by cluster_id
),
member_lists as (
    select cluster_id,
           count(*) as members,
           sum(posts)::bigint as member_posts,
           list(handle order by strength desc, account_id) as handles
    from v_cluster_members
    group by cluster_id
)
select
    c.*,
    coalesce(m.members, 0) as members,
    coalesce(m.member_posts, 0) as member_posts,
    coalesce(m.handles, []) as handles,
    d.dominant_category,
    d.dominant_category_share
from clusters as c
left join member_lists as m using (cluster_id)
left join dominant as d using (cluster_id)
order by c.size desc, c.cluster_id
