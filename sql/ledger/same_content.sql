-- The live load (if any) holding exactly this content, whatever its path.
select load_id, source_key, layout
from loads
where sha256 = $sha256 and status = 'loaded'
order by load_id
limit 1;
