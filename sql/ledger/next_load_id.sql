select nextval('load_id_seq');
