select status, count(*), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0)
from loads
group by status
order by status;
