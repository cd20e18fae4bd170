-- Remove the rows of replaced loads and mark them replaced (inside the new load's transaction).
delete from posts where load_id in (select unnest($load_ids::bigint[]));
delete from post_entities where load_id in (select unnest($load_ids::bigint[]));
delete from accounts where load_id in (select unnest($load_ids::bigint[]));
delete from quarantine where load_id in (select unnest($load_ids::bigint[]));
update loads
set status = 'replaced', message = 'replaced by load ' || $new_load_id
where load_id in (select unnest($load_ids::bigint[]));
