"""Tiny archives in each layout, written by the tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sockpuppet.load.layouts import IO_TWEETS, IO_USERS, IRA_15

IRA_ROWS = [
    # external_author_id, author, content, region, language, publish_date, ..., post_type, account_type, retweet, account_category
    ["100", "ALICE", "Vote early! #Election2016 https://t.co/abc", "United States", "English",
     "10/1/2016 9:05", "10/1/2016 9:05", "10", "20", "1", "", "Right", "0", "RightTroll", "0"],
    ["100", "ALICE", "Breaking: the big story is here https://t.co/xyz", "United States", "English",
     "10/1/2016 9:06", "10/1/2016 9:06", "10", "20", "2", "RETWEET", "Right", "1", "RightTroll", "0"],
    ["200", "BOB", "RT @news: Breaking: the big story is here https://t.co/xyz", "United States",
     "English", "10/1/2016 9:08", "10/1/2016 9:08", "5", "7", "1", "R", "Right", "1",
     "RightTroll", "0"],
    ["200", "BOB", "a line\nwith a newline and \"quotes\"", "United States", "English",
     "10/2/2016 11:00", "10/2/2016 11:00", "5", "7", "2", "", "Right", "0", "RightTroll", "0"],
    ["300", "CAROL", "Quoting this @ALICE", "Unknown", "English", "1/15/2017 23:59",
     "1/15/2017 23:59", "1", "1", "1", "Q", "left", "1", "LeftTroll", "0"],
]


def csv_text(header: list[str], rows: list[list[str]], quote_all: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
                        lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_ira(path: Path, rows: list[list[str]] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(IRA_15, IRA_ROWS if rows is None else rows), encoding="utf-8")
    return path


def io_tweet(tweetid: str, userid: str, time: str, text: str, **extra: str) -> list[str]:
    row = dict.fromkeys(IO_TWEETS, "")
    row.update(
        tweetid=tweetid, userid=userid, user_display_name=f"name{userid}",
        user_screen_name=f"handle{userid}", follower_count="10", following_count="3",
        account_creation_date="2019-05-01", account_language="en", tweet_language="en",
        tweet_text=text, tweet_time=time, tweet_client_name="Twitter Web App",
        is_retweet="False", latitude="absent", longitude="absent", quote_count="0",
        reply_count="0", like_count="0", retweet_count="0", hashtags="[]", urls="[]",
        user_mentions="[]",
    )
    row.update(extra)
    return [row[c] for c in IO_TWEETS]


IO_TWEET_ROWS = [
    io_tweet("1", "u1", "2020-03-01 10:00", "hello #One #two https://www.Shop.example/p?utm_source=a",
             hashtags="[One, two]", urls="['https://www.Shop.example/p?utm_source=a']"),
    io_tweet("2", "u2", "2020-03-01 10:01", "RT @handleu1: hello", is_retweet="True",
             retweet_userid="u1", retweet_tweetid="1", user_mentions="[u1]"),
    io_tweet("3", "u3", "2020-03-01 10:02", "@handleu1 replying", in_reply_to_userid="u1",
             in_reply_to_tweetid="1"),
    io_tweet("4", "u3", "2020-03-02 08:00", "look at this", quoted_tweet_tweetid="1",
             urls="['http://shop.example/p/?utm_campaign=z']"),
]


def io_users_rows() -> list[list[str]]:
    rows = []
    for uid in ("u1", "u2", "u3"):
        rows.append([uid, f"name{uid}", f"handle{uid}", "somewhere", "multi\nline bio", "", "10",
                     "3", "2019-05-01", "en"])
    return rows


def write_io_release(folder: Path, name: str = "test_012020", parts: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}_users_csv_hashed.csv").write_text(
        csv_text(IO_USERS, io_users_rows(), quote_all=True), encoding="utf-8")
    if parts == 1:
        (folder / f"{name}_tweets_csv_hashed.csv").write_text(
            csv_text(IO_TWEETS, IO_TWEET_ROWS), encoding="utf-8")
    else:
        for i in range(parts):
            chunk = IO_TWEET_ROWS[i::parts]
            (folder / f"{name}_tweets_csv_hashed_{i + 1}.csv").write_text(
                csv_text(IO_TWEETS, chunk), encoding="utf-8")
    return folder
