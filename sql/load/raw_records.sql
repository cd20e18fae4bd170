-- The raw text of the staged records asked about (by ordinal, see first_rowid.sql), rebuilt as
-- a CSV line from the first $width columns (the file's own; widened layouts add nulls after).
select rowid - getvariable('sp_first_rowid') + 1 as ordinal, sp_csv_row(list_slice(list_value(*columns(*)), 1, $width)) as raw
from raw_stage
where rowid - getvariable('sp_first_rowid') + 1 in (select unnest($ordinals::bigint[]));
