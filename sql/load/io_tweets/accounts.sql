-- One row per account: each profile column's latest value over every chunk (account_parts.sql).
create or replace temp view staged_accounts as
select
    account_id,
    load_id,
    arg_max(handle, handle_at),
    arg_max(display_name, display_name_at),
    arg_max(reported_location, reported_location_at),
    arg_max(description, description_at),
    arg_max(profile_url, profile_url_at),
    arg_max(follower_count, follower_count_at),
    arg_max(following_count, following_count_at),
    arg_max(created_on, created_on_at),
    arg_max(account_language, account_language_at),
    null::varchar as category, null::varchar as category_detail, null::varchar as region
from account_parts
group by account_id, load_id;
