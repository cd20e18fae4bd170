-- quarantine: one row per source record that was not loaded.
-- key: (load_id, record). Nothing is dropped silently: rows_loaded + rows_quarantined = rows_read.
create table if not exists quarantine (
    load_id     bigint not null,
    source_key  varchar not null,   -- file path (and zip member)
    line        bigint,             -- physical line where the record starts, when known
    record      bigint,             -- 1-based data record number, when known
    reason      varchar not null,
    raw         varchar             -- the raw record as read
);
