-- Type the staged IRA tweets (FiveThirtyEight/Clemson layout, 15 or 21 columns): one row per
-- accepted CSV record. The layout has no tweet ids (the 21-column release adds tweet_id): a
-- post's id is derived from its author, minute and text, and a retweet's target_key from its
-- normalised text, since the retweeted tweet's id is not in the archive. The 15-column
-- variant is staged with the six later columns added as nulls (ira_csv/widen.sql).
create or replace temp table stage as
with typed as (
    select
        rowid - getvariable('sp_first_rowid') + 1           as record,
        sp_blank(external_author_id)                        as account_id,
        try_strptime(trim(publish_date), ['%m/%d/%Y %H:%M', '%m/%d/%Y %H:%M:%S', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M'])
                                                            as posted_at,
        publish_date                                        as publish_date_raw,
        upper(coalesce(sp_blank(post_type), ''))            as post_type_raw,
        sp_blank(retweet)                                   as retweet_raw,
        content                                             as text,
        sp_blank(language)                                  as language,
        sp_blank(author)                                    as handle,
        sp_blank(region)                                    as region,
        sp_blank(account_type)                              as category_detail,
        sp_blank(account_category)                          as category,
        try_cast(sp_blank(followers) as bigint)             as follower_count,
        try_cast(sp_blank(following) as bigint)             as following_count,
        sp_blank(tweet_id)                                  as tweet_id,
        list_filter([sp_blank(tco1_step1), sp_blank(tco2_step1), sp_blank(tco3_step1), sp_blank(article_url)],
            lambda u: u is not null)                             as extra_urls
    from raw_stage
),
kinded as (
    select
        *,
        case
            when post_type_raw in ('R', 'RETWEET') then 'retweet'
            when post_type_raw in ('Q', 'QUOTE_TWEET', 'QUOTE') then 'quote'
            when post_type_raw = '' and retweet_raw in ('1', 'true', 'True') then 'retweet'
            else 'post'
        end as kind,
        coalesce(tweet_id, 'ira:' || substr(md5(coalesce(account_id, '') || '|' || coalesce(publish_date_raw, '') || '|' || coalesce(text, '')), 1, 24))
            as post_id
    from typed
),
-- Repeated post ids (an aggregate: a window over every column would sort the whole file).
repeated as (
    select post_id, min(record) as first_record
    from kinded
    group by post_id
    having count(*) > 1
),
checked as (
    select
        kinded.*,
        case
            when account_id is null then 'missing external_author_id'
            when posted_at is null then
                'unparseable publish_date ' || coalesce('''' || publish_date_raw || '''', '(empty)')
                || ': expected M/D/YYYY H:MM'
            when post_type_raw not in ('', 'R', 'Q', 'RETWEET', 'QUOTE_TWEET', 'QUOTE') then
                'unknown post_type ''' || post_type_raw || ''': expected R, Q, RETWEET, QUOTE_TWEET or empty'
            when retweet_raw is not null and retweet_raw not in ('0', '1', 'true', 'false', 'True', 'False') then
                'retweet is ''' || retweet_raw || ''': expected 0 or 1'
            when repeated.first_record < record then
                'duplicate row: same author, time and text as record ' || repeated.first_record
        end as reason
    from kinded
    left join repeated using (post_id)
),
retweeted as (
    select *, case when kind = 'retweet' then sp_norm_text(text) end as retweeted_text
    from checked
)
select
    * exclude (publish_date_raw, post_type_raw, retweet_raw, tweet_id, retweeted_text),
    $load_id as load_id,
    case when kind = 'retweet' then sp_rt_handle(text) end as target_handle,
    case when retweeted_text <> '' then 'txt:' || substr(md5(retweeted_text), 1, 24) end as target_key
from retweeted;
-- The records that go to quarantine, with their reason (read by the loader's counts).
create or replace temp table stage_rejects as
select record, reason from stage where reason is not null;
