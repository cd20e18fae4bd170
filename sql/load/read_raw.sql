-- Stage one CSV file as text, record by record, in file order (see first_rowid.sql for their ordinals).
-- Records DuckDB cannot parse (wrong column count, unterminated quote, invalid UTF-8) land in
-- the temp rejects tables with their line number and raw text; the loader quarantines them.
create or replace temp table raw_stage as
select *
from read_csv(
    $path,
    header = true,
    auto_detect = false,
    all_varchar = true,
    columns = $columns,
    delim = ',',
    quote = '"',
    escape = '"',
    strict_mode = true,
    max_line_size = 20000000,
    store_rejects = true,
    rejects_table = 'sp_reject_errors',
    rejects_scan = 'sp_reject_scans'
);
