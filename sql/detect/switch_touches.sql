-- The co-action times of candidate switchers: one row per (account_id, partner, at).
-- detect_switchers(account_id) is registered by the caller.
select e.account_a as account_id, e.account_b as partner, e.a_at as at
from coactivity_events as e
join detect_switchers as s on s.account_id = e.account_a
union all
select e.account_b as account_id, e.account_a as partner, e.b_at as at
from coactivity_events as e
join detect_switchers as s on s.account_id = e.account_b
