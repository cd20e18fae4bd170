-- Structural rejects of the last raw_stage scan: one row per rejected record. DuckDB reports a
-- short record once per missing column ("Found: 2", "Found: 3", ...): per error type the first
-- column's message is the true one.
select
    line,
    string_agg(message, '; ' order by message) as reason,
    any_value(csv_line) as raw
from (
    select
        line,
        error_type || ': ' || arg_min(error_message, {'c': coalesce(column_idx, 0), 'm': error_message}) as message,
        any_value(csv_line) as csv_line
    from sp_reject_errors
    group by line, error_type
)
group by line
order by line;
