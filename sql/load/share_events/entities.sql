create or replace temp table staged_post_entities as
with valid as (
    select * from stage where reason is null
),
entities as (
    select post_id, account_id, posted_at, 'object' as entity_type, object_id as value from valid
    union all
    select post_id, account_id, posted_at, 'url', url_id from valid
    union all
    select post_id, account_id, posted_at, 'hashtag', hashtag_id from valid
    union all
    select post_id, account_id, posted_at, 'domain', domain_id from valid
    union all
    select post_id, account_id, posted_at, 'object', phash_id from valid
)
select distinct post_id, $load_id as load_id, account_id, posted_at, entity_type, value
from entities
where value is not null;
