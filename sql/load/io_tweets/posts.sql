-- The accepted rows of `stage` (a view: read once, when published).
create or replace temp view staged_posts as
select
    post_id, load_id, account_id, posted_at, kind, text, language, client, handle, display_name,
    target_post_id, target_account_id, target_handle,
    case when target_post_id is not null then 'tw:' || target_post_id end as target_key
from stage
where reason is null;
