-- Shared target-days per pair, behaviour, period and target popularity.
-- grain: one row per (account_a, account_b, behavior, period, accounts); accounts = how many
-- accounts acted on the targets counted (null when target_popularity has no row: taken as 2).
-- A target counts once per day the pair shared it (day of the later event, as for period):
-- a team pushing one hashtag in a burst every day meets on it again each day, which distinct
-- targets per period would count once. Windows are at most an hour: meetings on a target in
-- one day count once.
-- Echoes (see echo_events.sql) are counted under '<behavior>:echo' so detection can weigh
-- them apart.
with per_target_day as (
    -- a target-day is an echo for the pair only when every co-action in it is one
    select account_a, account_b, behavior, period, target,
           date_trunc('day', greatest(a_at, b_at)) as day, bool_and(echo) as echo
    from coactivity_echo
    group by all
)
select t.account_a, t.account_b,
       case when t.echo then t.behavior || ':echo' else t.behavior end as behavior,
       t.period, p.accounts, count(*) as shared_targets
from per_target_day as t
left join target_popularity as p using (behavior, period, target)
group by all
