-- clusters: one row per operator cluster; key: cluster_id.
create or replace table clusters (
    cluster_id        varchar not null,
    size              bigint not null,
    density           double,          -- linked member pairs / all member pairs
    behaviors         varchar[],       -- behaviours that bind it, most frequent first
    first_at          timestamp,       -- span of the members' co-activity
    last_at           timestamp,
    top_targets       varchar[],       -- most-shared targets (posts, links, texts)
    top_hashtags      varchar[],       -- by number of members using them
    top_domains       varchar[],
    same_batch_share  double,          -- members created on a day another member was created
    shared_clients    varchar[],       -- client apps used by at least two members
    releases          varchar[],       -- releases (loads) the members' posts came from
    related_clusters  varchar[],       -- clusters sharing a rare client or creation batch
    description       varchar,         -- one line for a reader
    status            varchar          -- new, persisting, grown, shrunk, merged, split
);
