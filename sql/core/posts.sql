-- posts: one row per post (tweet, retweet, reply, quote, or shared item).
-- key: post_id (unique within a load; the same released tweet in two loads keeps both rows,
-- derived tables de-duplicate by post_id).
-- target_key identifies what a retweet/reply/quote points at even without ids:
--   'tw:<tweet id>' when the archive has the target's id,
--   'txt:<md5 of normalised retweeted text>' for IRA retweets (no ids in that layout),
--   'obj:<object id>' for share-events objects.
create table if not exists posts (
    post_id             varchar not null,   -- tweetid, or a stable md5-derived id where the archive has none
    load_id             bigint not null,
    account_id          varchar not null,
    posted_at           timestamp not null, -- UTC, minute resolution in io/IRA archives
    kind                varchar not null,   -- post, retweet, reply, quote
    text                varchar,
    language            varchar,
    client              varchar,
    handle              varchar,            -- screen name shown on this row
    display_name        varchar,
    target_post_id      varchar,            -- retweeted / replied-to / quoted tweet id where known
    target_account_id   varchar,            -- retweeted / replied-to account id where known
    target_handle       varchar,            -- from an 'RT @handle:' prefix where present
    target_key          varchar
);
