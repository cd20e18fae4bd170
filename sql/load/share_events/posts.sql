-- One post per post id (its earliest record). Single-object events are shares of an object
-- (a retweet in CooRTweet's retweet data), so they carry the object as target_key.
create or replace temp table staged_posts as
select
    post_id,
    $load_id                                            as load_id,
    arg_min(account_id, record)                         as account_id,
    arg_min(posted_at, record)                          as posted_at,
    case when $single then 'retweet' else 'post' end    as kind,
    null::varchar as text, null::varchar as language, null::varchar as client,
    null::varchar as handle, null::varchar as display_name,
    case when $single then arg_min(object_id, record) end as target_post_id,
    null::varchar as target_account_id, null::varchar as target_handle,
    case when $single then 'obj:' || arg_min(object_id, record) end as target_key
from stage
where reason is null
group by post_id;
