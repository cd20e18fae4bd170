-- The accepted records whose fields hold newlines (by ordinal, see first_rowid.sql), with how
-- many: few records span lines, so the loader sums these in Python (a window over every record
-- would sort the whole file). A record's physical line is then its record number + 1 (header)
-- + the newlines of the records before it.
select ordinal, len(fields) - len(replace(fields, chr(10), '')) as nl
from (select rowid - getvariable('sp_first_rowid') + 1 as ordinal, concat_ws('', *columns(*)) as fields from raw_stage)
where contains(fields, chr(10))
order by ordinal;
