-- accounts: one row per account as described by one loaded file.
-- key: (account_id, load_id). account_id is the archive's own id (information-operations
-- `userid`, IRA `external_author_id`, share-events `account_id`). The same account seen in
-- several files has several rows; account_profile (derived) has one row per account.
create table if not exists accounts (
    account_id          varchar not null,
    load_id             bigint not null,
    handle              varchar,            -- screen name as last seen in the file
    display_name        varchar,
    reported_location   varchar,
    description         varchar,
    profile_url         varchar,
    follower_count      bigint,
    following_count     bigint,
    created_on          date,               -- account_creation_date (io archives)
    account_language    varchar,
    category            varchar,            -- researchers' label where the archive has one (IRA account_category)
    category_detail     varchar,            -- IRA account_type
    region              varchar,
    primary key (account_id, load_id)
);
