-- target_popularity: one row per (behavior, period, target) touched by >= 2 accounts
-- (transforms/target_popularity.py).
create table if not exists target_popularity (
    behavior  varchar not null,
    period    date not null,
    target    varchar not null,
    accounts  bigint,
    events    bigint
);
