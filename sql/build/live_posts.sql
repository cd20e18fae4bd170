-- live_posts: the posts build reads, one row per post_id, posted in [$start, $end)
-- (null bounds are open). Only loads with status 'loaded' are live; a post released in two
-- loads keeps the row of the newest load. text is only kept for original posts (the only kind
-- co_text reads), which keeps the frame handed to polars small.
-- The newest load of a repeated post is found on (post_id, load_id) alone and the older rows
-- removed by an anti join: a window (row_number over post_id), or a CTE read twice, would carry
-- every string column through a sort or a materialisation (~2-5x slower per partition).
-- $dedupe = false (one live load in the range, see live_loads.sql) skips that search.
with repeated as (
    select p.post_id, max(p.load_id) as load_id
    from posts as p
    where $dedupe
      and p.load_id in (select load_id from loads where status = 'loaded')
      and ($start::timestamp is null or p.posted_at >= $start::timestamp)
      and ($end::timestamp is null or p.posted_at < $end::timestamp)
    group by p.post_id
    having count(*) > 1
)
select
    p.post_id,
    p.account_id,
    p.posted_at,
    p.kind,
    case when p.kind = 'post' then p.text end as text,
    p.language,
    p.client,
    p.handle,
    p.display_name,
    p.target_key
from posts as p
anti join repeated as r on p.post_id = r.post_id and p.load_id < r.load_id
where p.load_id in (select load_id from loads where status = 'loaded')
  and ($start::timestamp is null or p.posted_at >= $start::timestamp)
  and ($end::timestamp is null or p.posted_at < $end::timestamp)
