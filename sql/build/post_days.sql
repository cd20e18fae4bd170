-- post_days: the days that have live posts (build_partitions groups them into periods).
select distinct cast(p.posted_at as date) as day
from posts as p
join loads as l using (load_id)
where l.status = 'loaded'
order by day
