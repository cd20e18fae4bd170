-- v_detect_runs: each detection run and the parameters it used.
-- grain: one row per detection run; key: run_id.
select run_id, started_at, parameters, clusters, switches
from detect_runs
order by started_at
