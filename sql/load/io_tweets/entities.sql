-- Hashtags, URLs (normalised, with their domain) and mentions from the list-literal columns.
-- A post repeating an entity gets one row: tags and mentions are de-duplicated within their
-- post's list, links (few) by a distinct; no distinct over every entity row (that aggregate
-- spills at millions of posts).
create or replace temp view staged_post_entities as
with valid as (
    select post_id, load_id, account_id, posted_at, hashtags, urls, user_mentions
    from stage
    where reason is null
),
tags as (
    select post_id, load_id, account_id, posted_at, 'hashtag' as entity_type,
        unnest(list_distinct(list_transform(sp_list(hashtags), lambda h: lower(ltrim(h, '#')))))
            as value
    from valid
    where hashtags <> '[]'
),
mentions as (
    select post_id, load_id, account_id, posted_at, 'mention' as entity_type,
        unnest(list_distinct(list_transform(sp_list(user_mentions), lambda m: lower(ltrim(m, '@')))))
            as value
    from valid
    where user_mentions <> '[]'
),
-- Unnest before normalising, and filter only after the materialised CTE: sp_norm_url repeats
-- its argument, and an unnest or a pushed-down filter repeats the whole normalisation.
shared_urls as (
    select post_id, load_id, account_id, posted_at, unnest(sp_list(urls)) as raw_url
    from valid
    where urls <> '[]'
),
normalised as materialized (
    select post_id, load_id, account_id, posted_at, sp_norm_url(raw_url) as url
    from shared_urls
),
links as materialized (
    select distinct post_id, load_id, account_id, posted_at, url
    from normalised
    where url is not null and url <> ''
),
entities as (
    select * from tags
    union all
    select post_id, load_id, account_id, posted_at, 'url', url from links
    union all
    select distinct post_id, load_id, account_id, posted_at, 'domain', split_part(url, '/', 1) from links
    union all
    select * from mentions
)
select post_id, load_id, account_id, posted_at, entity_type, value
from entities
where value is not null and value <> '';
