-- account_profile: one row per account (transforms/account_profile.py).
create table if not exists account_profile (
    account_id           varchar not null,
    handles              struct(name varchar, first_seen date, last_seen date)[],
    display_names        struct(name varchar, first_seen date, last_seen date)[],
    created_on           date,
    creation_batch_size  bigint,
    dominant_client      varchar,
    silences             struct("start" timestamp, "end" timestamp, days double)[],
    first_post_at        timestamp,
    last_post_at         timestamp,
    active_span_days     double,
    active_days          bigint,
    posts                bigint,
    category             varchar
);
