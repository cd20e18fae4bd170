-- Shared targets per pair, behaviour, period and target popularity.
-- grain: one row per (account_a, account_b, behavior, period, accounts); accounts = how many
-- accounts acted on the targets counted (null when target_popularity has no row: taken as 2).
-- A hashtag, link or text that reaches a pair through a retweet (the retweet carries the
-- original's entities), or through a quote of the partner's own post, is amplification of
-- someone's content, not two accounts posting alike: it is counted under '<behavior>:echo' so
-- detection can weigh it apart. co_retweet, co_reply and co_burst are acts of their own.
with sources as (
    select post_id, any_value(kind) as kind, any_value(target_post_id) as target_post_id,
           any_value(target_account_id) as target_account_id
    from posts
    where kind in ('retweet', 'quote')
    group by post_id
),
marked as (
    select e.account_a, e.account_b, e.behavior, e.period, e.target,
           e.behavior in ('co_url', 'co_hashtag', 'co_text')
           and coalesce(sa.kind = 'retweet' or sb.kind = 'retweet'
                        or sa.target_account_id = e.account_b or sa.target_post_id = e.b_post_id
                        or sb.target_account_id = e.account_a or sb.target_post_id = e.a_post_id,
                        false) as echo
    from coactivity_events as e
    left join sources as sa on sa.post_id = e.a_post_id
    left join sources as sb on sb.post_id = e.b_post_id
),
per_target as (
    -- a target is an echo for the pair only when every co-action on it is one
    select account_a, account_b, behavior, period, target, bool_and(echo) as echo
    from marked
    group by all
)
select t.account_a, t.account_b,
       case when t.echo then t.behavior || ':echo' else t.behavior end as behavior,
       t.period, p.accounts, count(*) as shared_targets
from per_target as t
left join target_popularity as p using (behavior, period, target)
group by all
