-- live_loads: how many live loads released posts and entities posted in [$start, $end).
-- With one, nothing repeats across loads (post_id is unique within a load, and so is
-- (post_id, entity_type, value)), and live_posts / live_entities skip their de-duplication.
select
    (
        select count(distinct p.load_id)
        from posts as p
        where p.load_id in (select load_id from loads where status = 'loaded')
          and ($start::timestamp is null or p.posted_at >= $start::timestamp)
          and ($end::timestamp is null or p.posted_at < $end::timestamp)
    ) as post_loads,
    (
        select count(distinct e.load_id)
        from post_entities as e
        where e.load_id in (select load_id from loads where status = 'loaded')
          and ($start::timestamp is null or e.posted_at >= $start::timestamp)
          and ($end::timestamp is null or e.posted_at < $end::timestamp)
    ) as entity_loads
