-- v_loads: every load attempt with what it contributed to the warehouse.
-- grain: one row per load attempt; key: load_id.
-- Counts are of live core rows (replaced and failed loads have none left).
with post_counts as (
    select load_id, count(*) as posts, count(distinct account_id) as posting_accounts,
           min(posted_at) as first_post_at, max(posted_at) as last_post_at
    from posts
    group by load_id
),
account_counts as (
    select load_id, count(*) as accounts
    from accounts
    group by load_id
),
entity_counts as (
    select load_id, count(*) as entities
    from post_entities
    group by load_id
),
quarantine_counts as (
    select load_id, count(*) as quarantined
    from quarantine
    group by load_id
)
select
    l.load_id, l.source_key, l.path, l.member, l.sha256, l.layout, l.release, l.status,
    l.message, l.rows_read, l.rows_loaded, l.rows_quarantined,
    coalesce(p.posts, 0) as posts,
    coalesce(a.accounts, 0) as accounts,
    coalesce(p.posting_accounts, 0) as posting_accounts,
    coalesce(e.entities, 0) as entities,
    coalesce(q.quarantined, 0) as quarantined,
    p.first_post_at, p.last_post_at,
    l.started_at, l.finished_at, l.seconds
from loads as l
left join post_counts as p using (load_id)
left join account_counts as a using (load_id)
left join entity_counts as e using (load_id)
left join quarantine_counts as q using (load_id)
order by l.load_id
