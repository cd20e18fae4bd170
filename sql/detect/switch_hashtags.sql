-- Hashtags used by candidate switchers: one row per (post, hashtag).
select e.account_id, e.posted_at, e.value
from post_entities as e
join detect_switchers as s using (account_id)
where e.entity_type = 'hashtag'
