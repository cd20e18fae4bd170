-- For the accepted records asked about (by ordinal = raw_stage rowid + 1): the newlines inside
-- the fields of all accepted records up to and including it. A record's physical line is then
-- its record number + 1 (header) + the newlines of the records before it.
with per_record as (
    select
        rowid + 1 as ordinal,
        len(concat_ws('', *columns(*))) - len(replace(concat_ws('', *columns(*)), chr(10), '')) as nl
    from raw_stage
),
running as (
    select ordinal, sum(nl) over (order by ordinal rows between unbounded preceding and current row) as nl_through
    from per_record
)
select ordinal, nl_through
from running
where ordinal in (select unnest($ordinals::bigint[]));
