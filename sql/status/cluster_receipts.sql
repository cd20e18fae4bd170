select behavior, target, len(accounts), max_lag_s, sample_text
from cluster_evidence
where cluster_id = $cluster_id
order by rank
limit 2;
