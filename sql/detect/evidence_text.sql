-- A sample text per receipt: the post of the receipt's first account at its first time,
-- preferring the post that carries the target. detect_receipts(cluster_id, rank, account_id,
-- at, target) is registered by the caller. grain: one row per (cluster_id, rank).
select r.cluster_id, r.rank,
       arg_max(p.text, (coalesce(p.target_key = r.target, false))::int * 1000000
                       + length(coalesce(p.text, ''))) as sample_text
from detect_receipts as r
join posts as p on p.account_id = r.account_id and p.posted_at = r.at
group by r.cluster_id, r.rank
