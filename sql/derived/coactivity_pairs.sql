-- coactivity_pairs: one row per (account_a, account_b, behavior, period), account_a < account_b
-- (transforms/coactivity_pairs.py).
create table if not exists coactivity_pairs (
    account_a       varchar not null,
    account_b       varchar not null,
    behavior        varchar not null,
    period          date not null,
    shared_targets  bigint,
    shared_events   bigint,
    first_at        timestamp,
    last_at         timestamp,
    median_lag_s    double,
    weight          double
);
