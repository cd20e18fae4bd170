-- Staged records are numbered by raw_stage's rowid, which starts at 0 for a table created
-- outside a transaction but at a large offset inside one (the loader stages inside the file's
-- transaction): `rowid - sp_first_rowid + 1` is the record's ordinal in the chunk.
set variable sp_first_rowid = (select coalesce(min(rowid), 0) from raw_stage);
