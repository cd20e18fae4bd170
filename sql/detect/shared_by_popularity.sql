-- Shared targets per pair, behaviour, period and target popularity.
-- grain: one row per (account_a, account_b, behavior, period, accounts); accounts = how many
-- accounts acted on the targets counted (null when target_popularity has no row: taken as 2).
select e.account_a, e.account_b, e.behavior, e.period, p.accounts,
       count(distinct e.target) as shared_targets
from coactivity_events as e
left join target_popularity as p using (behavior, period, target)
group by all
