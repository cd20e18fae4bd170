-- Hashtags, URLs (normalised, with their domain) and mentions from the list-literal columns.
create or replace temp table staged_post_entities as
with valid as (
    select post_id, account_id, posted_at, hashtags, urls, user_mentions
    from stage
    where reason is null
),
tags as (
    select post_id, account_id, posted_at, 'hashtag' as entity_type,
        lower(ltrim(unnest(sp_list(hashtags)), '#')) as value
    from valid
),
links as materialized (
    select post_id, account_id, posted_at, sp_norm_url(unnest(sp_list(urls))) as url
    from valid
),
mentions as (
    select post_id, account_id, posted_at, 'mention' as entity_type,
        lower(ltrim(unnest(sp_list(user_mentions)), '@')) as value
    from valid
),
entities as (
    select * from tags
    union all
    select post_id, account_id, posted_at, 'url', url from links
    union all
    select post_id, account_id, posted_at, 'domain', split_part(url, '/', 1) from links
    union all
    select * from mentions
)
select distinct post_id, $load_id as load_id, account_id, posted_at, entity_type, value
from entities
where value is not null and value <> '';
