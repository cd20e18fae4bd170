-- Releases the clustered accounts came from (posts or users files): one row per pair.
select distinct m.cluster_id, l.release
from (
    select account_id, load_id from posts
    union
    select account_id, load_id from accounts
) as src
join detect_members as m using (account_id)
join loads as l using (load_id)
where l.status = 'loaded'
