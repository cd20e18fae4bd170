"""A tiny hand-filled warehouse in the contracted schemas (docs/contracts.md), hostile text.

Core tables come from the real DDL (``sockpuppet.warehouse.connect``); derived and detection
tables are created here with the contracted columns until their stages exist.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from sockpuppet.settings import Settings
from sockpuppet.warehouse import connect, run_script

# Archive text is written by adversaries: every kind of hostile string we guard against.
XSS = '<script>alert("pwned")</script>'
IMG = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example/","click")'
HANDLES = {
    "a1": "patriot_joe",
    "a2": XSS,
    "a3": "+cmd|' /C calc'!A0",
    "a4": "@mention_me",
    "a5": "../../etc/passwd",
    "a6": "newsfeed\x07bell",
    "a7": "organic_amy",
    "a8": "-minus_start",
}
CATEGORY = {
    "a1": "RightTroll",
    "a2": "RightTroll",
    "a3": "RightTroll",
    "a4": "LeftTroll",
    "a5": "LeftTroll",
    "a6": "NewsFeed",
    "a7": None,
    "a8": "LeftTroll",
}
CLUSTERS = {"C0001": ["a1", "a2", "a3"], "C0002": ["a4", "a5", "a8"]}
DAY0 = datetime(2016, 10, 1, 12, 0)

DERIVED_DDL = """
create or replace table account_timeline (
    account_id varchar, day date, posts bigint, retweets bigint, replies bigint);
create or replace table account_profile (
    account_id varchar, handles struct(name varchar, first_seen timestamp, last_seen timestamp)[],
    display_names struct(name varchar, first_seen timestamp, last_seen timestamp)[],
    created_on date, creation_batch_size bigint, dominant_client varchar,
    silences struct("start" timestamp, "end" timestamp, days double)[],
    first_post_at timestamp, last_post_at timestamp, posts bigint, category varchar);
create or replace table coactivity_pairs (
    account_a varchar, account_b varchar, behavior varchar, period date, shared_targets bigint,
    shared_events bigint, first_at timestamp, last_at timestamp, median_lag_s double,
    weight double);
create or replace table coactivity_events (
    account_a varchar, account_b varchar, behavior varchar, period date, target varchar,
    a_at timestamp, b_at timestamp, lag_s double);
"""

DETECTION_DDL = """
create or replace table operator_clusters (account_id varchar, cluster_id varchar, strength double);
create or replace table clusters (
    cluster_id varchar, size bigint, density double, behaviors varchar[], first_at timestamp,
    last_at timestamp, top_targets varchar[], top_hashtags varchar[], top_domains varchar[],
    same_batch_share double, shared_clients varchar[], releases varchar[], description varchar,
    status varchar);
create or replace table cluster_evidence (
    cluster_id varchar, rank bigint, behavior varchar, target varchar, accounts varchar[],
    times timestamp[], max_lag_s double, sample_text varchar);
create or replace table persona_switches (
    account_id varchar, switch_at date, from_cluster varchar, to_cluster varchar,
    partners_before varchar[], partners_after varchar[], hashtags_before varchar[],
    hashtags_after varchar[], silence_days double, handles_before varchar[],
    handles_after varchar[], evidence varchar);
create or replace table detect_runs (
    run_id varchar, started_at timestamp, parameters json, clusters bigint, switches bigint);
create or replace table cluster_history (run_id varchar, cluster_id varchar, account_id varchar);
"""


LOAD_COLS = ("load_id", "source_key", "path", "sha256", "layout", "release", "rows_read",
             "rows_loaded", "rows_quarantined", "status", "started_at", "finished_at", "seconds")
ACCOUNT_COLS = ("account_id", "load_id", "handle", "display_name", "reported_location",
                "description", "profile_url", "follower_count", "following_count", "created_on",
                "account_language", "category", "category_detail", "region")
POST_COLS = ("post_id", "load_id", "account_id", "posted_at", "kind", "text", "language", "client",
             "handle", "display_name", "target_post_id", "target_account_id", "target_handle",
             "target_key")


def _insert(con, table: str, cols: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert by column name (the core DDL is still moving) from a frame (executemany is slow)."""
    frame = pl.DataFrame(rows, schema=list(cols), orient="row", infer_schema_length=None)
    con.register("fixture_rows", frame)
    con.execute(f"insert into {table} by name select * from fixture_rows")
    con.unregister("fixture_rows")


def _fill_core(con) -> None:
    t0 = datetime(2024, 1, 1, 9, 0)
    _insert(
        con, "loads", LOAD_COLS,
        [
            (1, "/data/IRAhandle_tweets_1.csv", "/data/IRAhandle_tweets_1.csv", "ab" * 32,
             "ira-csv", "IRAhandle_tweets", 100, 99, 1, "loaded", t0, t0, 1.5),
            (2, "/data/x_tweets.csv", "/data/x_tweets.csv", "cd" * 32, "io-tweets",
             "iran_092020", 50, 50, 0, "loaded", t0, t0, 0.5),
        ],
    )
    accounts = []
    for i, (aid, handle) in enumerate(HANDLES.items()):
        accounts.append((aid, 1, handle, f"Display {handle}", "USA", f"old bio of {handle}",
                         None, 10, 20, date(2014, 1, 1 + i), "en", CATEGORY[aid], "Right", "US"))
    # a2 appears again in a later load with a new (hostile) description: v_accounts keeps this one
    accounts.append(("a2", 2, XSS, "Display", "USA", f"new bio {IMG} {FORMULA}", None, 1, 2,
                     date(2014, 1, 2), "en", "RightTroll", "Right", "US"))
    _insert(con, "accounts", ACCOUNT_COLS, accounts)
    posts = []
    n = 0
    for aid, handle in HANDLES.items():
        for d in range(0, 30):
            if aid == "a6" and 10 <= d < 16:  # a6 falls silent before it switches persona
                continue
            for k in range(1 + (d + len(aid)) % 3):
                n += 1
                text = XSS if (aid == "a2" and d == 0 and k == 0) else f"post {n} by {handle}"
                posts.append((f"p{n}", 1, aid, DAY0 + timedelta(days=d, minutes=k),
                              "retweet" if k else "post", text, "en", "Twitter Web Client",
                              handle, handle, None, None, None, f"tw:t{d}" if k else None))
    _insert(con, "posts", POST_COLS, posts)
    con.execute(
        "insert into post_entities (post_id, load_id, account_id, posted_at, entity_type, value) "
        "select post_id, load_id, account_id, posted_at, 'hashtag', 'maga' from posts "
        "where kind = 'post'"
    )
    _insert(con, "quarantine", ("load_id", "source_key", "reason", "raw"),
            [(1, "/data/IRAhandle_tweets_1.csv", "bad date", FORMULA)])


def _fill_derived(con) -> None:
    run_script(con, DERIVED_DDL)
    con.execute(
        "insert into account_timeline select account_id, posted_at::date, count(*), "
        "count(*) filter (where kind = 'retweet'), 0 from posts group by all"
    )
    pairs = [
        ("a1", "a2", "co_retweet", date(2016, 10, 1), 12, 30, 3.0, 5.0),
        ("a1", "a2", "co_retweet", date(2016, 11, 1), 2, 4, 1.0, 1.5),
        ("a1", "a3", "co_retweet", date(2016, 10, 1), 8, 20, 2.0, 3.0),
        ("a2", "a3", "co_hashtag", date(2016, 10, 1), 5, 9, 60.0, 1.0),
        ("a4", "a5", "co_url", date(2016, 10, 1), 7, 7, 30.0, 2.0),
        ("a4", "a8", "co_retweet", date(2016, 10, 1), 4, 4, 30.0, 1.2),
        ("a5", "a8", "co_text", date(2016, 10, 1), 3, 3, 10.0, 0.8),
        ("a3", "a4", "co_hashtag", date(2016, 10, 1), 1, 1, 600.0, 0.1),  # across clusters
        ("a1", "a7", "co_hashtag", date(2016, 10, 1), 1, 1, 900.0, 0.05),  # a7 unclustered
    ]
    con.executemany(
        "insert into coactivity_pairs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(a, b, beh, p, st, se, DAY0, DAY0 + timedelta(days=20), lag, w)
         for a, b, beh, p, st, se, lag, w in pairs],
    )
    con.execute(
        "insert into coactivity_events values ('a1', 'a2', 'co_retweet', '2016-10-01', 'tw:t1', "
        "?, ?, 60)", [DAY0, DAY0 + timedelta(minutes=1)],
    )


def write_clusters(con, clusters: dict[str, list[str]], *, status: str = "new") -> None:
    """(Re)write operator_clusters and clusters from a {cluster_id: [account_id]} map."""
    con.execute("delete from operator_clusters")
    con.execute("delete from clusters")
    for cid, members in clusters.items():
        con.executemany(
            "insert into operator_clusters values (?, ?, ?)",
            [(aid, cid, 1.0 - i / 10) for i, aid in enumerate(members)],
        )
        con.execute(
            "insert into clusters values (?, ?, 0.9, ['co_retweet', 'co_hashtag'], ?, ?, "
            "['tw:t1'], ['maga'], ['evil.example'], 0.5, ['Twitter Web Client'], "
            "['IRAhandle_tweets'], ?, ?)",
            [cid, len(members), DAY0, DAY0 + timedelta(days=29),
             f"retweets the same posts {XSS}", status],
        )


def _fill_detection(con) -> None:
    run_script(con, DETECTION_DDL)
    write_clusters(con, CLUSTERS)
    con.executemany(
        "insert into cluster_evidence values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("C0001", 1, "co_retweet", "tw:t1", ["a1", "a2", "a3"],
             [DAY0, DAY0 + timedelta(minutes=1), DAY0 + timedelta(minutes=2)], 120.0, XSS),
            ("C0001", 2, "co_hashtag", "maga", ["a2", "a3"], [DAY0, DAY0], 0.0, FORMULA),
            ("C0002", 1, "co_url", "evil.example/a", ["a4", "a5"],
             [DAY0, DAY0 + timedelta(seconds=30)], 30.0, IMG),
        ],
    )
    con.execute(
        "insert into persona_switches values ('a6', ?, 'C0002', 'C0001', ['a4', 'a5'], "
        "['a1', 'a2'], ['resist'], ['maga'], 6, ['newsfeed_old'], [?], ?)",
        [DAY0.date() + timedelta(days=16), HANDLES["a6"], f"renamed and went quiet {XSS}"],
    )
    con.execute(
        "insert into detect_runs values ('r1', ?, ?, 2, 1)",
        [DAY0, json.dumps({"min_shared": 3, "resolution": 1.0})],
    )
    con.executemany(
        "insert into cluster_history values ('r1', ?, ?)",
        [(cid, aid) for cid, ms in CLUSTERS.items() for aid in ms],
    )


def make_warehouse(path: Path, settings: Settings, *, derived: bool = True,
                   detection: bool = True) -> Path:
    con = connect(path, settings=settings)
    try:
        _fill_core(con)
        if derived:
            _fill_derived(con)
        if detection:
            _fill_detection(con)
    finally:
        con.close()
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


@pytest.fixture(scope="session")
def _warehouse_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    s = settings_for(folder)
    return make_warehouse(s.warehouse_path, s)


@pytest.fixture
def warehouse(settings: Settings, _warehouse_template: Path) -> Path:
    """A fresh copy of the full fixture warehouse at ``settings.warehouse_path``."""
    shutil.copyfile(_warehouse_template, settings.warehouse_path)
    return settings.warehouse_path


def settings_for(folder: Path) -> Settings:
    return Settings(warehouse=folder / "wh.duckdb", out=folder / "published",
                    memory_limit="512MB", threads=1)


@pytest.fixture
def hostile() -> dict[str, str]:
    """The hostile strings planted in the fixture warehouse."""
    return {"xss": XSS, "img": IMG, "formula": FORMULA, **{f"handle_{k}": v
                                                            for k, v in HANDLES.items()}}


@pytest.fixture
def rewrite_clusters():
    """Replace the clusters of a fixture warehouse: ``rewrite_clusters(path, settings, {...})``."""

    def rewrite(path: Path, settings: Settings, clusters: dict[str, list[str]]) -> None:
        con = connect(path, settings=settings)
        try:
            write_clusters(con, clusters, status="persisting")
        finally:
            con.close()

    return rewrite


@pytest.fixture(scope="session")
def published(tmp_path_factory, _warehouse_template) -> Path:
    """One run published from the full fixture warehouse (shared by read-only tests)."""
    from sockpuppet.publish import publish

    folder = tmp_path_factory.mktemp("published")
    s = settings_for(folder)
    shutil.copyfile(_warehouse_template, s.warehouse_path)
    return publish(s.out, s)


@pytest.fixture
def warehouse_factory():
    """``make_warehouse(path, settings, derived=True, detection=True)`` for custom fixtures."""
    return make_warehouse
