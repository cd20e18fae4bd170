-- The co-action times of candidate switchers: one row per (account_id, partner, at).
-- detect_switchers(account_id) is registered by the caller. Echoes (see echo_events.sql) are
-- left out: an old team re-sharing a member who left is not the member's own doing.
with own as (
    select *
    from coactivity_echo
    where (account_a in (select account_id from detect_switchers)
           or account_b in (select account_id from detect_switchers))
      and not echo
)
select account_a as account_id, account_b as partner, a_at as at
from own
where account_a in (select account_id from detect_switchers)
union all
select account_b as account_id, account_a as partner, b_at as at
from own
where account_b in (select account_id from detect_switchers)
