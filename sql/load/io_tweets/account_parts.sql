-- The profile columns repeat on every tweet row; an account's profile is each column's value on
-- its latest row holding one (ties in time go to the later record). A large file is staged in
-- chunks, so each chunk adds its accounts' latest values with the (time, record) they were seen
-- at, and accounts.sql keeps the latest over all chunks.
create temp table if not exists account_parts (
    account_id varchar, load_id bigint,
    handle varchar, handle_at hugeint,
    display_name varchar, display_name_at hugeint,
    reported_location varchar, reported_location_at hugeint,
    description varchar, description_at hugeint,
    profile_url varchar, profile_url_at hugeint,
    follower_count bigint, follower_count_at hugeint,
    following_count bigint, following_count_at hugeint,
    created_on date, created_on_at hugeint,
    account_language varchar, account_language_at hugeint
);
-- The rows first collapse to each distinct profile (accounts mostly repeat one or a few), with
-- the last (time, record) it was seen at; a column's latest value is then the one of the latest
-- profile holding it (that profile's last sighting is exactly the latest row with the value,
-- since every row of a profile holds it). The arg_max/max pairs run over these few rows, not
-- over every tweet (~1.6x faster on a 1.2M-row chunk).
insert into account_parts
with profiles as (
    select
        account_id, load_id, handle, display_name, reported_location, description, profile_url,
        follower_count, following_count, created_on, account_language,
        -- (time, record) as one number: a struct key makes these aggregates 3x slower.
        max(epoch_us(posted_at)::hugeint * 4294967296 + record) as seen
    from stage
    where reason is null
    group by all
)
select
    account_id, load_id,
    arg_max(handle, seen), max(seen) filter (where handle is not null),
    arg_max(display_name, seen), max(seen) filter (where display_name is not null),
    arg_max(reported_location, seen), max(seen) filter (where reported_location is not null),
    arg_max(description, seen), max(seen) filter (where description is not null),
    arg_max(profile_url, seen), max(seen) filter (where profile_url is not null),
    arg_max(follower_count, seen), max(seen) filter (where follower_count is not null),
    arg_max(following_count, seen), max(seen) filter (where following_count is not null),
    arg_max(created_on, seen), max(seen) filter (where created_on is not null),
    arg_max(account_language, seen), max(seen) filter (where account_language is not null)
from profiles
group by account_id, load_id;
