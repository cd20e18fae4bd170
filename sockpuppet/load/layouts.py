"""The archive layouts sockpuppet reads, recognised by their header row."""

from __future__ import annotations

from dataclasses import dataclass

IO_TWEETS = (
    "tweetid,userid,user_display_name,user_screen_name,user_reported_location,"
    "user_profile_description,user_profile_url,follower_count,following_count,"
    "account_creation_date,account_language,tweet_language,tweet_text,tweet_time,"
    "tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,is_retweet,"
    "retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,"
    "retweet_count,hashtags,urls,user_mentions,poll_choices"
).split(",")
IO_USERS = (
    "userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,"
    "user_profile_url,follower_count,following_count,account_creation_date,account_language"
).split(",")
IRA_15 = (
    "external_author_id,author,content,region,language,publish_date,harvested_date,following,"
    "followers,updates,post_type,account_type,retweet,account_category,new_june_2018"
).split(",")
IRA_21 = IRA_15 + "alt_external_id,tweet_id,article_url,tco1_step1,tco2_step1,tco3_step1".split(",")
SHARE_SINGLE = "object_id,account_id,content_id,timestamp_share".split(",")
SHARE_MULTI = "account_id,post_id,url_id,hashtag_id,domain_id,phash_id,timestamp".split(",")


@dataclass(frozen=True)
class Layout:
    name: str  # the layout of one file: io-tweets, io-users, ira-csv, share-events
    format: str  # the --format family it belongs to
    columns: tuple[str, ...]
    variant: str = ""  # e.g. ira-15 / ira-21, share-single / share-multi

    @property
    def sql_name(self) -> str:
        """The folder of this layout's statements in sql/load/."""
        return self.name.replace("-", "_")


LAYOUTS = (
    Layout("io-tweets", "io-archive", tuple(IO_TWEETS)),
    Layout("io-users", "io-archive", tuple(IO_USERS)),
    Layout("ira-csv", "ira-csv", tuple(IRA_15), "ira-15"),
    Layout("ira-csv", "ira-csv", tuple(IRA_21), "ira-21"),
    Layout("share-events", "share-events", tuple(SHARE_SINGLE), "share-single"),
    Layout("share-events", "share-events", tuple(SHARE_MULTI), "share-multi"),
)


def parse_header(line: str) -> list[str]:
    """Header names as written: BOM, quotes, spaces and case removed."""
    line = line.lstrip("\ufeff").strip("\r\n")
    return [c.strip().strip('"').strip().lower() for c in line.split(",")]


def detect_layout(header: list[str], fmt: str = "auto") -> Layout | None:
    """The layout whose columns are exactly ``header`` (and of family ``fmt`` unless auto)."""
    for layout in LAYOUTS:
        if list(layout.columns) == header and fmt in ("auto", layout.format):
            return layout
    return None


def expected_headers(fmt: str = "auto") -> str:
    """A readable list of the headers sockpuppet accepts, for error messages."""
    lines = []
    for layout in LAYOUTS:
        if fmt in ("auto", layout.format):
            label = f"{layout.format} ({layout.variant or layout.name})"
            lines.append(f"  {label}:\n    {','.join(layout.columns)}")
    return "\n".join(lines)
