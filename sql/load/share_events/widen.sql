-- Both share-events headers staged as one shape: the single-object layout
-- (object_id, account_id, content_id, timestamp_share) and the multi-object layout
-- (account_id, post_id, url_id, hashtag_id, domain_id, phash_id, timestamp).
alter table raw_stage add column if not exists object_id varchar;
alter table raw_stage add column if not exists content_id varchar;
alter table raw_stage add column if not exists timestamp_share varchar;
alter table raw_stage add column if not exists post_id varchar;
alter table raw_stage add column if not exists url_id varchar;
alter table raw_stage add column if not exists hashtag_id varchar;
alter table raw_stage add column if not exists domain_id varchar;
alter table raw_stage add column if not exists phash_id varchar;
alter table raw_stage add column if not exists "timestamp" varchar;
