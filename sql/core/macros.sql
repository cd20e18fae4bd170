-- Normalisation macros shared by the loaders (and usable by analysts).

-- A list literal as released ("[a, b]", "['http://x', 'http://y']", "[]" or blank) as a list
-- of its non-empty items. DuckDB's own list cast reads these (quotes included) 4-8x faster than
-- the regexes, which remain for what it rejects.
create or replace macro sp_list(s) as
    coalesce(
        list_filter(try_cast(s as varchar[]), lambda x: x <> ''),
        case
            when s is null or trim(s) in ('', '[]') then []::varchar[]
            when s like '%''%' or s like '%"%'
                then regexp_extract_all(s, '[''"]([^''"]+)[''"]', 1)
            else list_filter(
                list_transform(string_split(regexp_replace(trim(s), '^\[|\]$', '', 'g'), ','), lambda x: trim(x)),
                lambda x: x <> '')
        end);

-- A URL reduced to what identifies the page: no scheme, no 'www.', lower-case host, no
-- fragment, no trailing slash, tracking parameters (utm_*, fbclid, ...) removed, the other
-- parameters sorted. Empty input, or a host without a dot, gives null so it never counts as shared.
create or replace macro sp_url_parts(u) as
    regexp_extract(trim(u),
        '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?(?:[wW][wW][wW]\.)?([^/?#\s]+)([^?#\s]*)(?:\?([^#\s]*))?',
        ['host', 'path', 'query']);

create or replace macro sp_url_from_parts(p) as
    case when contains(p.host, '.') then
        lower(p.host) || rtrim(p.path, '/')
        || case when p.query = '' then '' else coalesce('?' || nullif(array_to_string(list_sort(list_filter(
               string_split(p.query, '&'),
               lambda q: q <> '' and not regexp_matches(lower(q),
                   '^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|igshid|mc_cid|mc_eid|ref|ref_src|ref_url|s|si|spm|cmpid|_ga|_gl|yclid|mkt_tok)(=|$)'))),
               '&'), ''), '') end
    end;

create or replace macro sp_norm_url(u) as sp_url_from_parts(sp_url_parts(u));

-- Text reduced for exact-duplicate matching: no 'RT @x:' prefix, no URLs, lower case,
-- letters/digits/#/@ only, single spaces. Each run of other characters becomes one space; a run
-- that is one space already (most of them) is not matched at all, which makes the last
-- replace ~1.6x faster than matching every run.
create or replace macro sp_norm_text(t) as
    trim(regexp_replace(
        regexp_replace(regexp_replace(lower(coalesce(t, '')), '^rt @[a-z0-9_]+:?', ''), 'https?://\S+', ' ', 'g'),
        '[^\pL\pN#@_]{2,}|[^\pL\pN#@_ ]', ' ', 'g'));

-- The handle in a leading 'RT @handle:' prefix, lower-cased (null when absent).
create or replace macro sp_rt_handle(t) as
    nullif(lower(regexp_extract(coalesce(t, ''), '^RT @([A-Za-z0-9_]+)', 1)), '');

-- One CSV line rebuilt from fields (for the quarantine's raw column).
create or replace macro sp_csv_row(fields) as
    array_to_string(list_transform(fields, lambda x:
        case when x is null then ''
             when regexp_matches(x, '[",\r\n]') then '"' || replace(x, '"', '""') || '"'
             else x end), ',');

-- An empty string as null, after trimming (trim() only runs on padded values: it copies every
-- string it touches, and released fields are rarely padded).
create or replace macro sp_blank(s) as
    case when starts_with(s, ' ') or ends_with(s, ' ') then nullif(trim(s), '') else nullif(s, '') end;
