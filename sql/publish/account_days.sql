-- account_days: daily activity of the accounts the report draws (parameter: list of ids).
-- grain: one row per account per active day; key: (account_id, day).
select account_id, handle, day, posts, originals, retweets, replies, quotes
from v_account_timeline
where account_id in (select unnest(?::varchar[]))
order by account_id, day
