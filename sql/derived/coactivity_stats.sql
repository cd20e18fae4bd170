-- coactivity_stats: one row per (behavior, period): the size of the co-activity inputs and
-- outputs (weak_* = pairs not stored), and how many events lost pairs to the coactivity_max_k
-- cap (capped).
create table if not exists coactivity_stats (
    behavior         varchar not null,
    period           date not null,
    events           bigint,
    accounts         bigint,
    targets          bigint,
    active_minutes   bigint,
    evidence_rows    bigint,
    pairs            bigint,
    weak_pairs       bigint,             -- pair rows below pair_min_events / pair_min_weight (not stored)
    weak_events      bigint,             -- their co-actions
    capped           bigint
);
