-- peer_input_ira: an IRA (FiveThirtyEight layout) archive as coordination-network-toolkit's
-- CSV input. IRA rows have no tweet ids: a message id is the md5 of author, time and text
-- (exact duplicate rows collapse, as the toolkit's own de-duplication would), and a retweet's
-- repost_id is 'txt:' + md5 of its normalised retweeted text ('RT @x:' prefix dropped,
-- lower case, single spaces). $files: the IRAhandle_tweets CSV files.
with rows as (
    select *
    from read_csv($files, header = true, all_varchar = true, strict_mode = false)
),
normalised as (
    select
        *,
        lower(trim(regexp_replace(
            regexp_replace(coalesce(content, ''), '^RT @\w+:\s*', ''), '\s+', ' ', 'g'
        ))) as norm_text
    from rows
)
select
    md5(concat_ws('|', external_author_id, publish_date, content)) as message_id,
    external_author_id as user_id,
    author as username,
    case when retweet = '1' or post_type in ('R', 'RETWEET') then 'txt:' || md5(norm_text)
         else '' end as repost_id,
    '' as reply_id,
    coalesce(content, '') as message,
    epoch(strptime(publish_date, '%m/%d/%Y %H:%M'))::bigint as "timestamp",
    array_to_string(regexp_extract_all(coalesce(content, ''), 'https?://\S+'), ' ') as urls
from normalised
