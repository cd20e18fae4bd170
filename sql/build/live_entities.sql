-- live_entities: hashtag, url and domain entities of live posts posted in [$start, $end),
-- one row per (post_id, entity_type, value) however many loads released the post.
select distinct
    e.post_id,
    e.account_id,
    e.posted_at,
    e.entity_type,
    e.value
from post_entities as e
join loads as l using (load_id)
where l.status = 'loaded'
  and e.entity_type in ('hashtag', 'url', 'domain')
  and ($start::timestamp is null or e.posted_at >= $start::timestamp)
  and ($end::timestamp is null or e.posted_at < $end::timestamp)
