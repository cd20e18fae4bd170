-- After a chunk, before the next: the tweet ids it staged, with the record of their first
-- occurrence, so the next chunk's duplicate check sees them (see stage.sql).
insert into seen_posts
select post_id, min(record)
from typed_stage
anti join seen_posts using (post_id)
where post_id is not null
group by post_id;
