-- v_coactivity: pairs of accounts that did the same thing at nearly the same time.
-- grain: one row per (account pair, behaviour, period); key: (account_a, account_b, behavior, period).
-- account_a < account_b; weight down-weights popular targets (sharing a viral tweet counts little).
select
    p.account_a,
    a.handle as handle_a,
    p.account_b,
    b.handle as handle_b,
    p.behavior,
    p.period,
    p.shared_targets,
    p.shared_events,
    p.first_at,
    p.last_at,
    p.median_lag_s,
    p.weight
from coactivity_pairs as p
left join v_accounts as a on a.account_id = p.account_a
left join v_accounts as b on b.account_id = p.account_b
