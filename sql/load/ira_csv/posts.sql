-- A view: the posts are `stage`'s accepted rows, read once when published (no copy).
create or replace temp view staged_posts as
select
    post_id, load_id, account_id, posted_at, kind, text, language, null as client, handle,
    null as display_name, null as target_post_id, null as target_account_id, target_handle, target_key
from stage
where reason is null;
