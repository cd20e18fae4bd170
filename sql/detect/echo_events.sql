-- coactivity_echo: coactivity_events with an `echo` flag; one row per co-action.
-- A hashtag, link or text that reaches a pair through a retweet (the retweet carries the
-- original's entities), or through a quote of the partner's own post, is amplification of
-- someone's content, not two accounts posting alike. co_retweet, co_reply and co_burst are
-- acts of their own and never echoes. Read by shared_by_popularity and switch_touches.
-- Two retweets of the same post are one act, already counted once as co_retweet (with its
-- window): the links and hashtags the two retweets carry are left out, not counted again.
create or replace temp view coactivity_echo as
with sources as (
    select post_id, any_value(kind) as kind, any_value(target_post_id) as target_post_id,
           any_value(target_account_id) as target_account_id,
           any_value(target_key) as target_key
    from posts
    where kind in ('retweet', 'quote')
    group by post_id
)
select e.*,
       e.behavior in ('co_url', 'co_hashtag', 'co_text')
       and coalesce(sa.kind = 'retweet' or sb.kind = 'retweet'
                    or sa.target_account_id = e.account_b or sa.target_post_id = e.b_post_id
                    or sb.target_account_id = e.account_a or sb.target_post_id = e.a_post_id,
                    false) as echo
from coactivity_events as e
left join sources as sa on sa.post_id = e.a_post_id
left join sources as sb on sb.post_id = e.b_post_id
where not coalesce(e.behavior in ('co_url', 'co_hashtag', 'co_text')
                   and sa.kind = 'retweet' and sb.kind = 'retweet'
                   and sa.target_key = sb.target_key, false);
