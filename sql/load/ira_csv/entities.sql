-- Hashtags, URLs and mentions found in the text (the layout has no entity columns), plus the
-- expanded links of the 21-column release.
create or replace temp table staged_post_entities as
with valid as (
    select post_id, account_id, posted_at, text, extra_urls
    from stage
    where reason is null
),
links as materialized (
    select post_id, account_id, posted_at,
        sp_norm_url(unnest(list_concat(regexp_extract_all(text, 'https?://[^\s…]+'), extra_urls))) as url
    from valid
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
