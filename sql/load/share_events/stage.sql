-- Type staged share events: one row per accepted CSV record (account, object(s), time).
-- Several records may describe one post (one per shared object), so posts are de-duplicated
-- by post id when published, not quarantined. Times are POSIX seconds (UTC).
create or replace temp table stage as
with typed as (
    select
        rowid - getvariable('sp_first_rowid') + 1               as record,
        sp_blank(account_id)                                    as account_id,
        coalesce(sp_blank(content_id), sp_blank(post_id))       as post_id,
        sp_blank(object_id)                                     as object_id,
        sp_blank(url_id)                                        as url_id,
        sp_blank(hashtag_id)                                    as hashtag_id,
        sp_blank(domain_id)                                     as domain_id,
        sp_blank(phash_id)                                      as phash_id,
        coalesce(sp_blank(timestamp_share), sp_blank("timestamp")) as time_raw,
        try_cast(coalesce(sp_blank(timestamp_share), sp_blank("timestamp")) as double) as epoch_s
    from raw_stage
),
checked as (
    select
        record, account_id, post_id, object_id, url_id, hashtag_id, domain_id, phash_id,
        case when epoch_s between 0 and 32503680000
            then make_timestamp(cast(round(epoch_s * 1000000) as bigint)) end as posted_at,
        case
            when account_id is null then 'missing account_id'
            when post_id is null then 'missing post id (content_id / post_id)'
            when epoch_s is null then
                'unparseable time ' || coalesce('''' || time_raw || '''', '(empty)') || ': expected POSIX seconds'
            when not (epoch_s between 0 and 32503680000) then
                'time ' || time_raw || ' is out of range for POSIX seconds'
            when $single and object_id is null then 'missing object_id'
        end as reason
    from typed
)
select *
from checked;
-- The records that go to quarantine, with their reason (read by the loader's counts).
create or replace temp table stage_rejects as
select record, reason from stage where reason is not null;
