select cluster_id, size, description from clusters order by size desc, cluster_id limit $limit;
