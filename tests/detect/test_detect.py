"""detect(con, settings) on a tiny warehouse holding only the contracted input tables."""

import datetime as dt

import duckdb
import polars as pl
import pytest
from conftest import (
    P1,
    P2,
    events_from_incidence,
    organic_incidence,
    pairs_from_incidence,
    team_incidence,
)

from sockpuppet.detect import detect
from sockpuppet.warehouse import apply_core_schema

A = [f"a{i}" for i in range(7)]
B = [f"b{i}" for i in range(6)]
SWITCHER = "a6"


def incidence():
    rows = organic_incidence(150, 12, 1500, seed=7) + organic_incidence(150, 12, 1500, seed=8,
                                                                        period=P2)
    rows += team_incidence(A, 30, seed=1, tag="A") + team_incidence(B, 30, seed=2, tag="B")
    rows += team_incidence(A[:6], 30, seed=3, period=P2, tag="A")
    # the switcher works with team B in the second month
    rows += team_incidence(B + [SWITCHER], 30, seed=4, period=P2, tag="B")
    return rows


def make_warehouse(con: duckdb.DuckDBPyConnection, rows) -> None:
    apply_core_schema(con)
    pairs, activity, _ = pairs_from_incidence(rows)
    con.register("p", pairs)
    con.execute("create or replace table coactivity_pairs as select * from p")
    con.register("c", activity)
    con.execute("create or replace table account_behavior_counts as select * from c")
    events, popularity = events_from_incidence(rows)
    con.register("e", events)
    con.execute("create or replace table coactivity_events as select * from e")
    con.register("t", popularity)
    con.execute("create or replace table target_popularity as select * from t")
    day = {P1: dt.datetime(2020, 1, 10, 12), P2: dt.datetime(2020, 2, 10, 12)}
    posts = pl.DataFrame(
        [(f"{a}-{p}", a, day[p], "B-name" if a == SWITCHER and p == P2 else a)
         for a, _, p, _ in {(r[0], None, r[2], None) for r in rows}],
        schema={"post_id": pl.String, "account_id": pl.String, "posted_at": pl.Datetime("us"),
                "handle": pl.String}, orient="row",
    )
    con.register("x", posts)
    con.execute("insert into loads values (1, 'k', 'p', null, 'sha', 'io-tweets', 'synth_1', "
                "0, 0, 0, 'loaded', null, now()::timestamp, null, null)")
    con.execute("insert into posts by name select post_id, 1 as load_id, account_id, posted_at, "
                "'post' as kind, 'text' as text, 'Custom' as client, handle from x")


@pytest.fixture
def con():
    c = duckdb.connect(":memory:")
    yield c
    c.close()


def test_detect_writes_every_table_and_is_idempotent(con, settings):
    make_warehouse(con, incidence())
    first = detect(con, settings)
    assert first["clusters"] == 2 and first["switches"] == 1
    members = con.sql("select cluster_id, account_id from operator_clusters").pl()
    groups = {frozenset(g["account_id"]) for _, g in members.group_by("cluster_id")}
    # the switcher sits with the team it moved to
    assert groups == {frozenset(A[:6]), frozenset(B + [SWITCHER])}
    sw = con.sql("select * from persona_switches").pl().row(0, named=True)
    assert sw["account_id"] == SWITCHER and sw["switch_at"] >= P1
    assert sw["from_cluster"] != sw["to_cluster"]
    assert set(sw["partners_after"]) <= set(B)
    clusters = con.sql("select * from clusters order by cluster_id").pl()
    assert clusters["status"].to_list() == ["new", "new"]
    assert clusters["releases"].to_list() == [["synth_1"], ["synth_1"]]
    assert all(d.startswith(("7 accounts", "6 accounts")) for d in clusters["description"])

    second = detect(con, settings)
    assert second["run_id"] == first["run_id"] + 1
    again = con.sql("select cluster_id, account_id from operator_clusters").pl()
    assert again.sort("account_id").equals(members.sort("account_id"))
    assert con.sql("select distinct status from clusters").fetchall() == [("persisting",)]
    assert con.sql("select count(*) from detect_runs").fetchall() == [(2,)]
    assert con.sql("select count(distinct run_id) from cluster_history").fetchall() == [(2,)]


def test_detect_on_an_empty_warehouse_writes_empty_tables(con, settings):
    apply_core_schema(con)
    out = detect(con, settings)
    assert out["clusters"] == 0 and out["switches"] == 0
    for table in ("operator_clusters", "clusters", "cluster_evidence", "persona_switches"):
        assert con.sql(f"select count(*) from {table}").fetchall() == [(0,)]


def test_links_reaching_a_pair_through_a_retweet_count_as_echo(con, settings):
    """A retweet carries the original's link: that is amplification, not posting alike."""
    from sockpuppet.detect.inputs import read_shared

    apply_core_schema(con)
    t = dt.datetime(2020, 1, 10, 12)
    con.execute(
        "insert into posts (post_id, load_id, account_id, posted_at, kind, target_post_id, "
        "target_account_id) values ('p1', 1, 'author', ?, 'post', null, null), "
        "('p2', 1, 'fan', ?, 'retweet', 'p1', 'author'), ('p3', 1, 'other', ?, 'post', null, null)",
        [t, t + dt.timedelta(minutes=1), t + dt.timedelta(minutes=2)],
    )
    events = pl.DataFrame(
        {
            "account_a": ["author", "author", "fan"], "account_b": ["fan", "other", "other"],
            "behavior": ["co_url"] * 3, "period": [P1] * 3, "target": ["x.com/a"] * 3,
            "a_at": [t, t, t + dt.timedelta(minutes=1)],
            "b_at": [t + dt.timedelta(minutes=1), t + dt.timedelta(minutes=2),
                     t + dt.timedelta(minutes=2)],
            "lag_s": [60.0, 120.0, 60.0],
            "a_post_id": ["p1", "p1", "p2"], "b_post_id": ["p2", "p3", "p3"],
        }
    )
    con.register("e", events)
    con.execute("create table coactivity_events as select * from e")
    con.execute("create table target_popularity as select 'co_url' as behavior, "
                "?::date as period, 'x.com/a' as target, 3::bigint as accounts, "
                "3::bigint as events", [P1])
    shared = read_shared(con, pl.DataFrame(), settings.detect_popularity_bounds)
    got = {(a, b): beh for a, b, beh in shared.select("account_a", "account_b", "behavior").rows()}
    assert got == {("author", "fan"): "co_url:echo", ("author", "other"): "co_url",
                   ("fan", "other"): "co_url:echo"}


def _events_table(con, rows) -> None:
    """coactivity_events from (a, b, behavior, target, a_at, b_at, a_post, b_post) rows."""
    events = pl.DataFrame(
        [(a, b, beh, P1, target, a_at, b_at, abs((b_at - a_at).total_seconds()), pa, pb)
         for a, b, beh, target, a_at, b_at, pa, pb in rows],
        schema={"account_a": pl.String, "account_b": pl.String, "behavior": pl.String,
                "period": pl.Date, "target": pl.String, "a_at": pl.Datetime("us"),
                "b_at": pl.Datetime("us"), "lag_s": pl.Float64, "a_post_id": pl.String,
                "b_post_id": pl.String},
        orient="row",
    )
    con.register("e", events)
    con.execute("create table coactivity_events as select * from e")
    con.execute("create table target_popularity as select distinct behavior, period, target, "
                "2::bigint as accounts, 2::bigint as events from e")


def test_two_retweets_of_one_post_are_one_act(con, settings):
    """The hashtag two retweets of the same post carry is the co_retweet again, not a 2nd act."""
    from sockpuppet.detect.inputs import read_shared

    apply_core_schema(con)
    t = dt.datetime(2020, 1, 10, 12)
    m = dt.timedelta(minutes=1)
    con.execute(
        "insert into posts (post_id, load_id, account_id, posted_at, kind, target_post_id, "
        "target_account_id, target_key) values "
        "('p1', 1, 'author', ?, 'post', null, null, null), "
        "('r1', 1, 'fan1', ?, 'retweet', 'p1', 'author', 'tw:p1'), "
        "('r2', 1, 'fan2', ?, 'retweet', 'p1', 'author', 'tw:p1'), "
        "('q1', 1, 'fan2', ?, 'post', null, null, null)",
        [t, t + m, t + 2 * m, t + 3 * m],
    )
    _events_table(con, [
        ("fan1", "fan2", "co_retweet", "tw:p1", t + m, t + 2 * m, "r1", "r2"),
        ("fan1", "fan2", "co_hashtag", "#tag", t + m, t + 2 * m, "r1", "r2"),
        # fan2's own post with the tag, 2 minutes after fan1's retweet: an echo, kept
        ("fan1", "fan2", "co_hashtag", "#tag", t + m, t + 3 * m, "r1", "q1"),
    ])
    shared = read_shared(con, pl.DataFrame(), settings.detect_popularity_bounds)
    got = dict(shared.select("behavior", "shared_targets").rows())
    assert got == {"co_retweet": 1, "co_hashtag:echo": 1}
    con.execute("drop table coactivity_events")
    con.execute("drop table target_popularity")
    _events_table(con, [("fan1", "fan2", "co_hashtag", "#tag", t + m, t + 2 * m, "r1", "r2")])
    assert read_shared(con, pl.DataFrame(), settings.detect_popularity_bounds).is_empty()


def test_a_target_counts_once_per_day_the_pair_shares_it(con, settings):
    """A tag pushed together on three days is three coincidences; two bursts in one day, one."""
    from sockpuppet.detect.inputs import read_shared

    apply_core_schema(con)
    rows = []
    for day, minutes in ((10, (0, 30)), (11, (0,)), (14, (5,))):
        for k, minute in enumerate(minutes):
            at = dt.datetime(2020, 1, day, 12, minute)
            rows.append(("a", "b", "co_hashtag", "#push", at, at + dt.timedelta(minutes=2),
                         f"a{day}{k}", f"b{day}{k}"))
    rows.append(("a", "b", "co_hashtag", "#other", dt.datetime(2020, 1, 10, 13),
                 dt.datetime(2020, 1, 10, 13, 1), "a-o", "b-o"))
    _events_table(con, rows)
    shared = read_shared(con, pl.DataFrame(), settings.detect_popularity_bounds)
    assert shared.select("behavior", "shared_targets").rows() == [("co_hashtag", 4)]
