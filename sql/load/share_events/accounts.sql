create or replace temp table staged_accounts as
select distinct
    account_id, $load_id as load_id,
    null::varchar as handle, null::varchar as display_name, null::varchar as reported_location,
    null::varchar as description, null::varchar as profile_url, null::bigint as follower_count,
    null::bigint as following_count, null::date as created_on, null::varchar as account_language,
    null::varchar as category, null::varchar as category_detail, null::varchar as region
from stage
where reason is null;
