-- post_days: the days that have live posts and how many (build_partitions groups them into
-- periods; build starts the largest periods first).
select cast(p.posted_at as date) as day, count(*) as posts
from posts as p
join loads as l using (load_id)
where l.status = 'loaded'
group by 1
order by day
