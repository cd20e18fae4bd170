-- Live loads of the same source (path, or path!member): a changed file replaces them.
select load_id from loads where source_key = $source_key and status = 'loaded';
