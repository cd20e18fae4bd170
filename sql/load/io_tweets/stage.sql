-- Type the staged information-operations tweets: one row per accepted CSV record.
-- `stage` is a view over raw_stage (a typed copy of a 5M-tweet file would double the memory
-- and spill); only the reasons of the rows that go to quarantine are stored (stage_rejects).
-- reason is null for a loadable row (the loader rebuilds the raw record of the others from
-- raw_stage, see raw_records.sql). A large file is staged chunk by chunk: `record` counts from
-- the file's start (sp_record_base: records staged by earlier chunks), and seen_posts holds
-- the tweet ids of the earlier chunks, so a repeat across chunks is caught like one within.
set variable sp_load_id = $load_id;
create temp table if not exists seen_posts (post_id varchar, record bigint);
create or replace temp view typed_stage as
select
    rowid - getvariable('sp_first_rowid') + 1 + getvariable('sp_record_base') as record,
    sp_blank(tweetid)                               as post_id,
    sp_blank(userid)                                as account_id,
    try_strptime(trim(tweet_time), ['%Y-%m-%d %H:%M', '%Y-%m-%d %H:%M:%S'])
                                                    as posted_at,
    lower(sp_blank(is_retweet))                     as is_rt,
    case
        when lower(sp_blank(is_retweet)) = 'true' then 'retweet'
        when sp_blank(in_reply_to_tweetid) is not null then 'reply'
        when sp_blank(quoted_tweet_tweetid) is not null then 'quote'
        else 'post'
    end                                             as kind,
    tweet_text                                      as text,
    sp_blank(tweet_language)                        as language,
    sp_blank(tweet_client_name)                     as client,
    sp_blank(user_screen_name)                      as handle,
    sp_blank(user_display_name)                     as display_name,
    sp_blank(retweet_tweetid)                       as retweet_tweetid,
    sp_blank(in_reply_to_tweetid)                   as reply_tweetid,
    sp_blank(quoted_tweet_tweetid)                  as quoted_tweetid,
    sp_blank(retweet_userid)                        as retweet_userid,
    sp_blank(in_reply_to_userid)                    as reply_userid,
    hashtags, urls, user_mentions,
    sp_blank(user_reported_location)                as reported_location,
    sp_blank(user_profile_description)              as description,
    sp_blank(user_profile_url)                      as profile_url,
    try_cast(sp_blank(follower_count) as bigint)    as follower_count,
    try_cast(sp_blank(following_count) as bigint)   as following_count,
    try_cast(sp_blank(account_creation_date) as date) as created_on,
    sp_blank(account_language)                      as account_language,
    tweet_time                                      as tweet_time_raw
from raw_stage;
create or replace temp table stage_rejects as
-- Repeated tweet ids (an aggregate: a window over every column would sort the whole file).
with repeated as (
    select post_id, min(record) as first_record
    from typed_stage
    where post_id is not null
    group by post_id
    having count(*) > 1
),
checked as (
    select
        typed_stage.record,
        case
            when post_id is null then 'missing tweetid'
            when account_id is null then 'missing userid'
            when posted_at is null then
                'unparseable tweet_time ' || coalesce('''' || tweet_time_raw || '''', '(empty)')
                || ': expected YYYY-MM-DD HH:MM'
            when is_rt is not null and is_rt not in ('true', 'false') then
                'is_retweet is ''' || is_rt || ''': expected True or False'
            when kind = 'retweet' and retweet_tweetid is null then 'retweet without retweet_tweetid'
            when seen_posts.record is not null or repeated.first_record < typed_stage.record then
                'duplicate tweetid (first at record '
                || coalesce(seen_posts.record, repeated.first_record) || ')'
        end as reason
    from typed_stage
    left join repeated using (post_id)
    left join seen_posts using (post_id)
)
select record, reason
from checked
where reason is not null;
create or replace temp view stage as
select
    typed_stage.* exclude (tweet_time_raw, is_rt),
    stage_rejects.reason,
    getvariable('sp_load_id')::bigint as load_id,
    case kind
        when 'retweet' then retweet_tweetid
        when 'reply' then reply_tweetid
        when 'quote' then quoted_tweetid
    end as target_post_id,
    case kind
        when 'retweet' then retweet_userid
        when 'reply' then reply_userid
    end as target_account_id,
    case when kind = 'retweet' then sp_rt_handle(text) end as target_handle
from typed_stage
left join stage_rejects using (record);
