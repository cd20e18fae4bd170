-- post_entities: one row per post and entity it carries.
-- key: (post_id, load_id, entity_type, value). entity_type: hashtag (lower-cased, no '#'),
-- url (normalised: scheme and 'www.' dropped, host lower-cased, tracking parameters and
-- fragment stripped), domain (host of a url), mention (lower-cased handle or id), object
-- (a generic shared object id from share-events layouts).
-- account_id and posted_at are repeated from posts so co-activity never needs the join.
create table if not exists post_entities (
    post_id       varchar not null,
    load_id       bigint not null,
    account_id    varchar not null,
    posted_at     timestamp not null,
    entity_type   varchar not null,
    value         varchar not null
);
