-- The commonest quarantine reasons, numbers and quoted values masked so alike reasons group.
select regexp_replace(reason, '[0-9]+|''[^'']*''', '…', 'g') as reason_kind, count(*)
from quarantine
group by reason_kind
order by 2 desc
limit 5;
