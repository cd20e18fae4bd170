-- The raw text of the staged records asked about (by ordinal = raw_stage rowid + 1), rebuilt as
-- a CSV line from the first $width columns (the file's own; widened layouts add nulls after).
select rowid + 1 as ordinal, sp_csv_row(list_slice(list_value(*columns(*)), 1, $width)) as raw
from raw_stage
where rowid + 1 in (select unnest($ordinals::bigint[]));
