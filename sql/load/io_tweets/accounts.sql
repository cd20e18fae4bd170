-- The profile columns repeat on every tweet row: keep the latest row's profile per account.
-- A view, like every staged relation of this layout: rows flow from raw_stage into the core
-- tables once, when published.
create or replace temp view staged_accounts as
select
    account_id,
    load_id,
    arg_max(handle, posted_at),
    arg_max(display_name, posted_at),
    arg_max(reported_location, posted_at),
    arg_max(description, posted_at),
    arg_max(profile_url, posted_at),
    arg_max(follower_count, posted_at),
    arg_max(following_count, posted_at),
    arg_max(created_on, posted_at),
    arg_max(account_language, posted_at),
    null::varchar as category, null::varchar as category_detail, null::varchar as region
from stage
where reason is null
group by account_id, load_id;
