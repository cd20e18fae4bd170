-- coactivity_stats: one row per (behavior, period): the size of the co-activity inputs and
-- outputs, and how many events lost pairs to the coactivity_max_k cap (capped).
create table if not exists coactivity_stats (
    behavior         varchar not null,
    period           date not null,
    events           bigint,
    accounts         bigint,
    targets          bigint,
    active_minutes   bigint,
    evidence_rows    bigint,
    pairs            bigint,
    capped           bigint
);
