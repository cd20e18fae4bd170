-- Posts of candidate switchers (time and the name shown): one row per post.
select p.account_id, p.posted_at, p.handle, p.display_name
from posts as p
join detect_switchers as s using (account_id)
