-- operator_clusters: accounts run by one operator, as detected.
-- grain: one row per clustered account; key: account_id. Unclustered accounts are absent and
-- every cluster has at least two members.
create or replace table operator_clusters (
    account_id  varchar not null,
    cluster_id  varchar not null,  -- stable across runs ('C0001', ...), see detect_runs
    strength    double not null    -- share of the account's edge weight inside its cluster
);
