-- v_persona_switches: accounts that left one operator's cluster for another's.
-- grain: one row per switch; key: (account_id, switch_at).
-- partner_handles_before/after: the screen names of partners_before/after, in the same order.
with partners as (
    select account_id, switch_at, 'before' as side,
           unnest(partners_before) as partner_id,
           generate_subscripts(partners_before, 1) as position
    from persona_switches
    union all
    select account_id, switch_at, 'after' as side,
           unnest(partners_after) as partner_id,
           generate_subscripts(partners_after, 1) as position
    from persona_switches
),
named as (
    select p.account_id, p.switch_at,
           list(coalesce(a.handle, p.partner_id) order by p.position)
               filter (where p.side = 'before') as partner_handles_before,
           list(coalesce(a.handle, p.partner_id) order by p.position)
               filter (where p.side = 'after') as partner_handles_after
    from partners as p
    left join v_accounts as a on a.account_id = p.partner_id
    group by p.account_id, p.switch_at
)
select
    s.account_id,
    a.handle,
    a.category,
    s.switch_at,
    s.from_cluster,
    s.to_cluster,
    s.partners_before,
    coalesce(n.partner_handles_before, []) as partner_handles_before,
    s.partners_after,
    coalesce(n.partner_handles_after, []) as partner_handles_after,
    s.hashtags_before,
    s.hashtags_after,
    s.silence_days,
    s.handles_before,
    s.handles_after,
    s.evidence
from persona_switches as s
left join v_accounts as a using (account_id)
left join named as n using (account_id, switch_at)
order by s.switch_at, s.account_id
