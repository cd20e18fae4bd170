select source_key, message from loads where status = 'failed' order by load_id desc limit 5;
