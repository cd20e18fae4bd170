-- The 15-column release lacks the six columns the later release added: add them as nulls so
-- one staging statement reads both.
alter table raw_stage add column if not exists alt_external_id varchar;
alter table raw_stage add column if not exists tweet_id varchar;
alter table raw_stage add column if not exists article_url varchar;
alter table raw_stage add column if not exists tco1_step1 varchar;
alter table raw_stage add column if not exists tco2_step1 varchar;
alter table raw_stage add column if not exists tco3_step1 varchar;
