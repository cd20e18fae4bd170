-- v_accounts: one row per account, as described by its latest live load, with its activity.
-- grain: one row per account; key: account_id.
-- Accounts that only appear as authors of posts (no users file) are included with the handle
-- of their latest post. `handles` lists every screen name seen in any load or post.
with live_loads as (
    select load_id, release, started_at
    from loads
    where status = 'loaded'
),
described as (
    select a.*, l.release, l.started_at as load_started_at
    from accounts as a
    join live_loads as l using (load_id)
),
latest as (
    select *
    from described
    qualify row_number() over (
        partition by account_id order by load_started_at desc, load_id desc) = 1
),
unique_posts as (
    -- the same released tweet in two loads keeps two rows in posts; count it once
    select *
    from posts
    qualify row_number() over (partition by post_id order by load_id desc) = 1
),
activity as (
    select account_id,
           count(*) as posts,
           min(posted_at) as first_post_at,
           max(posted_at) as last_post_at,
           arg_max(handle, posted_at) as last_post_handle,
           arg_max(display_name, posted_at) as last_post_display_name
    from unique_posts
    group by account_id
),
seen_handles as (
    select account_id, handle from described where handle is not null
    union
    select account_id, handle from unique_posts where handle is not null
),
handle_lists as (
    select account_id, list(handle order by handle) as handles
    from seen_handles
    group by account_id
),
release_lists as (
    select account_id, count(distinct load_id) as loads,
           list(distinct release order by release) filter (where release is not null) as releases
    from described
    group by account_id
),
all_accounts as (
    select account_id from latest
    union
    select account_id from activity
)
select
    ids.account_id,
    coalesce(l.handle, act.last_post_handle) as handle,
    coalesce(l.display_name, act.last_post_display_name) as display_name,
    l.description,
    l.reported_location,
    l.profile_url,
    l.follower_count,
    l.following_count,
    l.created_on,
    l.account_language,
    l.category,
    l.category_detail,
    l.region,
    coalesce(h.handles, []) as handles,
    coalesce(r.releases, []) as releases,
    coalesce(r.loads, 0) as loads,
    l.load_id as described_by_load_id,
    coalesce(act.posts, 0) as posts,
    act.first_post_at,
    act.last_post_at
from all_accounts as ids
left join latest as l using (account_id)
left join activity as act using (account_id)
left join handle_lists as h using (account_id)
left join release_lists as r using (account_id)
