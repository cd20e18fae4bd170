-- loads: one row per load attempt of one source file (or zip member).
-- key: load_id. A source is identified by source_key (path, plus '!member' inside a zip);
-- a file whose sha256 is already loaded is skipped, a changed file replaces its earlier load
-- (status 'replaced' on the old row, its core rows deleted in the same transaction).
create sequence if not exists load_id_seq start 1;
create table if not exists loads (
    load_id           bigint primary key,
    source_key        varchar not null,   -- path, or path!member for a zip member
    path              varchar not null,   -- absolute path of the file on disk
    member            varchar,            -- member name inside a zip, else null
    sha256            varchar not null,   -- of the (decompressed) member or of the file
    layout            varchar not null,   -- io-tweets, io-users, ira-csv, share-events
    release           varchar,            -- release/archive name, e.g. iran_092020 or IRAhandle_tweets
    rows_read         bigint,
    rows_loaded       bigint,
    rows_quarantined  bigint,
    status            varchar not null,   -- loaded, replaced, failed
    message           varchar,
    started_at        timestamp not null,
    finished_at       timestamp,
    seconds           double
);
