-- live_entities: hashtag, url and domain entities of live posts posted in [$start, $end),
-- one row per (post_id, entity_type, value) however many loads released the post.
-- Only several loads can repeat a row ($dedupe, see live_loads.sql): one load is read as is
-- (the CTE is inlined, so the branch whose constant condition is false is pruned).
with live as not materialized (
    select e.post_id, e.account_id, e.posted_at, e.entity_type, e.value
    from post_entities as e
    where e.load_id in (select load_id from loads where status = 'loaded')
      and e.entity_type in ('hashtag', 'url', 'domain')
      and ($start::timestamp is null or e.posted_at >= $start::timestamp)
      and ($end::timestamp is null or e.posted_at < $end::timestamp)
)
select distinct * from live where $dedupe
union all
select * from live where not $dedupe;
