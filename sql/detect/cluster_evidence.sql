-- cluster_evidence: the strongest receipts of each cluster.
-- grain: one row per receipt; key: (cluster_id, rank), rank 1 = strongest.
create or replace table cluster_evidence (
    cluster_id   varchar not null,
    rank         bigint not null,
    behavior     varchar not null,
    target       varchar,          -- the shared post key, url, text hash, hashtag or minute
    accounts     varchar[],        -- members who acted on it
    times        timestamp[],      -- when they did
    max_lag_s    double,           -- largest gap between two of them inside the window
    sample_text  varchar           -- text of one member's post behind the receipt
);
