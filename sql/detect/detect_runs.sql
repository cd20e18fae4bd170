-- detect_runs: one row per detection run; key: run_id. History that keeps cluster ids stable.
-- cluster_history: the members of every cluster of every run; key: (run_id, account_id).
create table if not exists detect_runs (
    run_id       bigint not null,
    started_at   timestamp not null,
    parameters   json,
    clusters     bigint,
    switches     bigint
);
create table if not exists cluster_history (
    run_id      bigint not null,
    cluster_id  varchar not null,
    account_id  varchar not null
);
