-- Content already in the warehouse: the sha256 of every live load.
select sha256 from loads where status = 'loaded';
