-- persona_switches: accounts whose co-activity partners moved from one cluster to another.
-- grain: one row per switch; key: (account_id, switch_at).
create or replace table persona_switches (
    account_id       varchar not null,
    switch_at        date not null,    -- first day of co-activity with the new cluster
    from_cluster     varchar,
    to_cluster       varchar,
    partners_before  varchar[],        -- strongest partners in the old cluster
    partners_after   varchar[],        -- strongest partners in the new cluster
    hashtags_before  varchar[],
    hashtags_after   varchar[],
    silence_days     double,           -- gap between the last post before and the first after
    handles_before   varchar[],        -- screen names shown before / after (when visible)
    handles_after    varchar[],
    evidence         varchar           -- one line for a reader
);
