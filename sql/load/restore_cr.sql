-- A chunk whose carriage returns were swapped for a stand-in before DuckDB read it (its strict
-- parser stops the whole file at a bare one; sockpuppet/load/chunks.py): put them back.
create or replace temp table raw_stage as
select replace(columns(*), $placeholder, chr(13))
from raw_stage;
