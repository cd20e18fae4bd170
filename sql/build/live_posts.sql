-- live_posts: the posts build reads, one row per post_id, posted in [$start, $end)
-- (null bounds are open). Only loads with status 'loaded' are live; a post released in two
-- loads keeps the row of the newest load. text is only kept for original posts (the only kind
-- co_text reads), which keeps the frame handed to polars small.
with live as (
    select
        p.post_id,
        p.load_id,
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
    join loads as l using (load_id)
    where l.status = 'loaded'
      and ($start::timestamp is null or p.posted_at >= $start::timestamp)
      and ($end::timestamp is null or p.posted_at < $end::timestamp)
)
select * exclude (load_id)
from live
qualify row_number() over (partition by post_id order by load_id desc) = 1
