-- v_account_timeline: what each account did on each day it posted.
-- grain: one row per account per active day; key: (account_id, day).
-- Read from core posts (de-duplicated by post_id), so it exists as soon as anything is loaded;
-- days without posts are absent (silences are the gaps).
with unique_posts as (
    select *
    from posts
    qualify row_number() over (partition by post_id order by load_id desc) = 1
)
select
    p.account_id,
    a.handle,
    p.posted_at::date as day,
    count(*) as posts,
    count(*) filter (where p.kind = 'post') as originals,
    count(*) filter (where p.kind = 'retweet') as retweets,
    count(*) filter (where p.kind = 'reply') as replies,
    count(*) filter (where p.kind = 'quote') as quotes,
    min(p.posted_at) as first_at,
    max(p.posted_at) as last_at
from unique_posts as p
left join v_accounts as a using (account_id)
group by p.account_id, a.handle, p.posted_at::date
