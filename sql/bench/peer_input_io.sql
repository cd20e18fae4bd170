-- peer_input_io: an information-operations tweets archive as coordination-network-toolkit's
-- CSV input, one row per tweet: message_id, user_id, username, repost_id, reply_id, message,
-- timestamp (epoch seconds), urls (space separated). $files: the tweets CSV files.
with tweets as (
    select *
    from read_csv($files, header = true, all_varchar = true, strict_mode = false)
)
select
    tweetid as message_id,
    userid as user_id,
    user_screen_name as username,
    coalesce(retweet_tweetid, '') as repost_id,
    coalesce(in_reply_to_tweetid, '') as reply_id,
    coalesce(tweet_text, '') as message,
    epoch(strptime(tweet_time, '%Y-%m-%d %H:%M'))::bigint as "timestamp",
    array_to_string(regexp_extract_all(coalesce(urls, ''), '''([^'']+)''', 1), ' ') as urls
from tweets
