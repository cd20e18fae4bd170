-- Shared targets per pair, behaviour, period and target popularity.
-- grain: one row per (account_a, account_b, behavior, period, accounts); accounts = how many
-- accounts acted on the targets counted (null when target_popularity has no row: taken as 2).
-- Echoes (see echo_events.sql) are counted under '<behavior>:echo' so detection can weigh
-- them apart.
with per_target as (
    -- a target is an echo for the pair only when every co-action on it is one
    select account_a, account_b, behavior, period, target, bool_and(echo) as echo
    from coactivity_echo
    group by all
)
select t.account_a, t.account_b,
       case when t.echo then t.behavior || ':echo' else t.behavior end as behavior,
       t.period, p.accounts, count(*) as shared_targets
from per_target as t
left join target_popularity as p using (behavior, period, target)
group by all
