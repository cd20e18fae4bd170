-- Value-level rejects of the staged chunk, by ordinal within it (structural rejects are added by
-- the loader; `record` counts from the file's start when a file is staged in chunks).
select record - getvariable('sp_record_base') as ordinal, reason
from stage_rejects
order by ordinal;
