from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from core_frames import at, entities_frame, posts_frame

from transforms.account_profile import account_profile
from transforms.account_timeline import SCHEMA as TIMELINE_SCHEMA
from transforms.account_timeline import account_timeline

DAY = 24 * 60


@pytest.fixture
def timeline() -> pl.DataFrame:
    posts = posts_frame([
        dict(account_id="A", minute=0, kind="post", client="web"),
        dict(account_id="A", minute=0.5, kind="retweet", target_key="tw:1", client="app"),
        dict(account_id="A", minute=61, kind="reply", target_key="tw:2", client="app",
             language="ru"),
        dict(account_id="A", minute=62, kind="quote", target_key="tw:1", handle="a_new"),
        dict(account_id="A", minute=40 * DAY, kind="post", handle="a_new"),
        dict(account_id="B", minute=DAY, kind="post", language=None),
    ])
    entities = entities_frame([
        ("p0", "A", 0, "hashtag", "x"), ("p1", "A", 0.5, "hashtag", "y"),
        ("p2", "A", 61, "hashtag", "y"), ("p2", "A", 61, "domain", "d.example"),
    ])
    return account_timeline(posts.lazy(), entities.lazy()).collect()


def test_timeline_counts_one_row_per_account_day(timeline):
    assert timeline.schema == pl.Schema(TIMELINE_SCHEMA)
    assert timeline.select("account_id", "day").rows() == [
        ("A", date(2020, 1, 6)), ("A", date(2020, 2, 15)), ("B", date(2020, 1, 7))]
    a = timeline.row(0, named=True)
    assert (a["posts"], a["originals"], a["retweets"], a["replies"], a["quotes"]) == (4, 1, 1, 1, 1)
    assert a["distinct_targets"] == 2
    assert a["top_hashtags"] == ["y", "x"]
    assert a["top_domains"] == ["d.example"]
    assert a["clients"] == [{"name": "app", "posts": 2}, {"name": "web", "posts": 2}]
    assert a["languages"] == [{"name": "en", "posts": 3}, {"name": "ru", "posts": 1}]
    assert a["handles"] == ["a", "a_new"]
    assert a["active_minutes"] == 3
    assert a["hour_profile"][12] == 2 and a["hour_profile"][13] == 2 and sum(a["hour_profile"]) == 4
    assert (a["first_at"], a["last_at"]) == (at(0), at(62))
    assert timeline.row(2, named=True)["languages"] == []


def test_profile(timeline):
    accounts = pl.DataFrame(
        {
            "account_id": ["A", "B", "C", "C"],
            "load_id": [1, 1, 1, 2],
            "handle": ["a_new", "b", "c_old", "c"],
            "display_name": ["A", "B", "C", "C"],
            "created_on": [date(2019, 5, 1), date(2019, 5, 1), date(2019, 5, 1), None],
            "category": ["RightTroll", None, None, "LeftTroll"],
        }
    )
    prof = account_profile(timeline.lazy(), accounts.lazy(), silence_days=30).collect()
    assert prof["account_id"].to_list() == ["A", "B", "C"]
    a, b, c = prof.rows(named=True)
    assert a["silences"] == [{"start": at(62), "end": at(40 * DAY),
                              "days": pytest.approx((40 * DAY - 62) / DAY)}]
    assert a["handles"] == [
        {"name": "a", "first_seen": date(2020, 1, 6), "last_seen": date(2020, 1, 6)},
        {"name": "a_new", "first_seen": date(2020, 1, 6), "last_seen": date(2020, 2, 15)},
    ]
    assert a["dominant_client"] == "web"  # web 3 posts, app 2
    assert (a["posts"], a["active_days"], a["category"]) == (5, 2, "RightTroll")
    assert a["first_post_at"] == at(0) and a["last_post_at"] == datetime(2020, 2, 15, 12, 0)
    assert a["creation_batch_size"] == 3
    assert b["silences"] == [] and b["posts"] == 1
    # C never posted: names only from the users file, newest category
    assert c["posts"] == 0 and c["first_post_at"] is None and c["category"] == "LeftTroll"
    assert {h["name"] for h in c["handles"]} == {"c", "c_old"}
    assert all(h["first_seen"] is None for h in c["handles"])
