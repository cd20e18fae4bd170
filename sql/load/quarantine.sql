-- Value-level rejects of the staged file (structural rejects are added by the loader).
insert into quarantine
select $load_id, $source_key, null as line, record, reason, raw
from stage
where reason is not null;
