-- Structural rejects of the last raw_stage scan: one row per rejected record (DuckDB reports one
-- row per error, so several errors of one record collapse to one).
select
    line,
    string_agg(distinct error_type || ': ' || error_message, '; ') as reason,
    any_value(csv_line) as raw
from sp_reject_errors
group by line
order by line;
