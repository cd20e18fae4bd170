-- live_entities: hashtag, url and domain entities of live posts posted in [$start, $end),
-- one row per (post_id, entity_type, value) however many loads released the post.
-- Only several loads can repeat a row ($dedupe, see live_loads.sql): one load is read as is.
select distinct
    e.post_id,
    e.account_id,
    e.posted_at,
    e.entity_type,
    e.value
from post_entities as e
where $dedupe
  and e.load_id in (select load_id from loads where status = 'loaded')
  and e.entity_type in ('hashtag', 'url', 'domain')
  and ($start::timestamp is null or e.posted_at >= $start::timestamp)
  and ($end::timestamp is null or e.posted_at < $end::timestamp)
union all
select
    e.post_id,
    e.account_id,
    e.posted_at,
    e.entity_type,
    e.value
from post_entities as e
where not $dedupe
  and e.load_id in (select load_id from loads where status = 'loaded')
  and e.entity_type in ('hashtag', 'url', 'domain')
  and ($start::timestamp is null or e.posted_at >= $start::timestamp)
  and ($end::timestamp is null or e.posted_at < $end::timestamp)
