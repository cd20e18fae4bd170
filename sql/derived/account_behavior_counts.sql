-- account_behavior_counts: one row per (account_id, behavior, period)
-- (transforms/account_behavior_counts.py).
create table if not exists account_behavior_counts (
    account_id  varchar not null,
    behavior    varchar not null,
    period      date not null,
    events      bigint,
    targets     bigint
);
