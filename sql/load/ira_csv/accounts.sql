-- One row per author: the handle and counts of the latest tweet, the researchers' labels.
create or replace temp table staged_accounts as
select
    account_id, $load_id,
    arg_max(handle, posted_at), null, null, null, null,
    arg_max(follower_count, posted_at), arg_max(following_count, posted_at),
    null, null,
    mode(category), mode(category_detail), mode(region)
from stage
where reason is null
group by account_id;
