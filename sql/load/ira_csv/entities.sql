-- Hashtags, URLs and mentions found in the text (the layout has no entity columns), plus the
-- expanded links of the 21-column release.
create or replace temp table staged_post_entities as
with valid as (
    select post_id, account_id, posted_at, text, extra_urls
    from stage
    where reason is null
),
-- Unnest before normalising: sp_norm_url repeats its argument, and an unnest repeated inside
-- it costs ten times the normalisation itself.
shared_urls as (
    select post_id, account_id, posted_at,
        unnest(list_concat(regexp_extract_all(text, 'https?://[^\s…]+'), extra_urls)) as raw_url
    from valid
),
links as materialized (
    select post_id, account_id, posted_at, sp_norm_url(raw_url) as url
    from shared_urls
),
entities as (
    select post_id, account_id, posted_at, 'hashtag' as entity_type,
        lower(unnest(regexp_extract_all(text, '#([\pL\pN_]+)', 1))) as value
    from valid
    union all
    select post_id, account_id, posted_at, 'mention',
        lower(unnest(regexp_extract_all(text, '@([A-Za-z0-9_]+)', 1)))
    from valid
    union all
    select post_id, account_id, posted_at, 'url', url from links
    union all
    select post_id, account_id, posted_at, 'domain', split_part(url, '/', 1) from links
)
select distinct post_id, $load_id as load_id, account_id, posted_at, entity_type, value
from entities
where value is not null and value <> '';
