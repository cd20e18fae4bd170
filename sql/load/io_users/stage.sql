-- Type the staged information-operations users file: one row per accepted CSV record.
create or replace temp table stage as
with typed as (
    select
        rowid - getvariable('sp_first_rowid') + 1       as record,
        sp_blank(userid)                                as account_id,
        sp_blank(user_screen_name)                      as handle,
        sp_blank(user_display_name)                     as display_name,
        sp_blank(user_reported_location)                as reported_location,
        sp_blank(user_profile_description)              as description,
        sp_blank(user_profile_url)                      as profile_url,
        try_cast(sp_blank(follower_count) as bigint)    as follower_count,
        try_cast(sp_blank(following_count) as bigint)   as following_count,
        try_cast(sp_blank(account_creation_date) as date) as created_on,
        sp_blank(account_creation_date)                 as created_raw,
        sp_blank(account_language)                      as account_language
    from raw_stage
),
checked as (
    select
        *,
        case
            when account_id is null then 'missing userid'
            when created_raw is not null and created_on is null then
                'unparseable account_creation_date ''' || created_raw || ''': expected YYYY-MM-DD'
            when min(record) over (partition by account_id) < record then
                'duplicate userid (first at record ' || min(record) over (partition by account_id) || ')'
        end as reason
    from typed
)
select * exclude (created_raw)
from checked;
-- The records that go to quarantine, with their reason (read by the loader's counts).
create or replace temp table stage_rejects as
select record, reason from stage where reason is not null;
