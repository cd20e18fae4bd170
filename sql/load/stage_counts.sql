-- Staged records that pass the row checks, and those that go to quarantine.
select count(*) filter (where reason is null), count(*) filter (where reason is not null)
from stage;
