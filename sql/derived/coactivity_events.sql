-- coactivity_events: one row per co-action (pair of events of one target inside the window);
-- at most events x coactivity_max_k rows per behaviour (transforms/coactivity_events.py).
create table if not exists coactivity_events (
    account_a   varchar not null,
    account_b   varchar not null,
    behavior    varchar not null,
    period      date not null,
    target      varchar,
    a_at        timestamp,
    b_at        timestamp,
    lag_s       double,
    a_post_id   varchar,
    b_post_id   varchar
);
