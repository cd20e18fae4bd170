create or replace temp table staged_accounts as
select
    account_id, $load_id as load_id, handle, display_name, reported_location, description, profile_url,
    follower_count, following_count, created_on, account_language, null, null, null
from stage
where reason is null;
