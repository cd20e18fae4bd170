-- totals: the headline numbers of the report (one row).
select
    (select count(*) from v_loads where status = 'loaded') as archives,
    (select count(*) from v_accounts) as accounts,
    (select coalesce(sum(posts), 0)::bigint from v_accounts) as posts,
    (select min(first_post_at) from v_accounts) as first_post_at,
    (select max(last_post_at) from v_accounts) as last_post_at
