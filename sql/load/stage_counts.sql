-- Staged records that pass the row checks, and those that go to quarantine (every layout's
-- stage.sql leaves the latter in stage_rejects; counting them avoids re-deriving `stage`).
select
    (select count(*) from raw_stage) - (select count(*) from stage_rejects),
    (select count(*) from stage_rejects);
