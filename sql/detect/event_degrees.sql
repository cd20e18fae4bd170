-- Distinct targets each account co-acted on, per behaviour, period and target popularity.
-- grain: one row per (account_id, behavior, period, accounts).
with touched as (
    select account_a as account_id, behavior, period, target from coactivity_events
    union
    select account_b as account_id, behavior, period, target from coactivity_events
)
select t.account_id, t.behavior, t.period, p.accounts, count(*) as targets
from touched as t
left join target_popularity as p using (behavior, period, target)
group by all
