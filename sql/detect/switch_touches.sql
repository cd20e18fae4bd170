-- The co-action times of candidate switchers: one row per (account_id, partner, at).
-- detect_switchers(account_id) is registered by the caller. Echoes (see shared_by_popularity:
-- a link, hashtag or text that reached the pair through a retweet or a quote of the partner)
-- are left out: an old team re-sharing a member who left is not the member's own doing.
with sources as (
    select post_id, any_value(kind) as kind, any_value(target_post_id) as target_post_id,
           any_value(target_account_id) as target_account_id
    from posts
    where kind in ('retweet', 'quote')
    group by post_id
),
mine as (
    select e.*
    from coactivity_events as e
    where e.account_a in (select account_id from detect_switchers)
       or e.account_b in (select account_id from detect_switchers)
),
own as (
    select e.*
    from mine as e
    left join sources as sa on sa.post_id = e.a_post_id
    left join sources as sb on sb.post_id = e.b_post_id
    where not (
        e.behavior in ('co_url', 'co_hashtag', 'co_text')
        and coalesce(sa.kind = 'retweet' or sb.kind = 'retweet'
                     or sa.target_account_id = e.account_b or sa.target_post_id = e.b_post_id
                     or sb.target_account_id = e.account_a or sb.target_post_id = e.a_post_id,
                     false)
    )
)
select account_a as account_id, account_b as partner, a_at as at
from own
where account_a in (select account_id from detect_switchers)
union all
select account_b as account_id, account_a as partner, b_at as at
from own
where account_b in (select account_id from detect_switchers)
