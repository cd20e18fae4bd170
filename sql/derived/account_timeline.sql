-- account_timeline: one row per account per day (transforms/account_timeline.py).
create table if not exists account_timeline (
    account_id        varchar not null,
    day               date not null,
    posts             bigint,
    originals         bigint,
    retweets          bigint,
    replies           bigint,
    quotes            bigint,
    distinct_targets  bigint,
    top_hashtags      varchar[],
    top_domains       varchar[],
    languages         struct(name varchar, posts bigint)[],
    clients           struct(name varchar, posts bigint)[],
    handles           varchar[],
    display_names     varchar[],
    active_minutes    bigint,
    hour_profile      bigint[],
    first_at          timestamp,
    last_at           timestamp
);
