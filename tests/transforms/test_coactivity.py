from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest
from core_frames import ENTITIES_SCHEMA, at, entities_frame, posts_frame
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from transforms.coactivity_events import (
    SCHEMA as EVENTS_SCHEMA,
)
from transforms.coactivity_events import (
    CoactivityParams,
    behavior_coactivity,
    behavior_events,
)
from transforms.coactivity_pairs import SCHEMA as PAIRS_SCHEMA
from transforms.coactivity_pairs import coactivity_pairs
from transforms.target_popularity import target_popularity
from transforms.targets import EVENT_SCHEMA, normalise_text

PARAMS = CoactivityParams(pair_min_events=1, pair_min_weight=0.0)  # keep every pair
JAN = date(2020, 1, 1)


def run(behavior: str, posts: pl.DataFrame, entities: pl.DataFrame | None = None,
        params: CoactivityParams = PARAMS):
    entities = entities if entities is not None else pl.DataFrame(schema=ENTITIES_SCHEMA)
    ev = behavior_events(behavior, posts.lazy(), entities.lazy(), params).collect()
    res = behavior_coactivity(behavior, ev, params)
    return res.evidence, res.pairs, res.capped_t


def pairs_frame(rows: list[tuple]) -> pl.DataFrame:
    """(a, b, behavior, targets, events, first_min, last_min, median_lag_s, weight)."""
    return pl.DataFrame(
        [(a, b, beh, JAN, nt, ne, at(f), at(la), lag, w) for a, b, beh, nt, ne, f, la, lag, w
         in rows],
        schema=PAIRS_SCHEMA,
        orient="row",
    )


def w(accounts: int) -> float:
    return 1 / math.log2(1 + accounts)


RETWEETS = [
    # A, B and C retweet tw:1 within 4 minutes; D 20 minutes later (outside 5 min)
    dict(account_id="A", minute=0, kind="retweet", target_key="tw:1"),
    dict(account_id="B", minute=2, kind="retweet", target_key="tw:1"),
    dict(account_id="C", minute=4, kind="retweet", target_key="tw:1"),
    dict(account_id="D", minute=20, kind="retweet", target_key="tw:1"),
    # A and B also retweet tw:2 a minute apart
    dict(account_id="A", minute=30, kind="retweet", target_key="tw:2"),
    dict(account_id="B", minute=31, kind="retweet", target_key="tw:2"),
    # a reply and a post never count as retweets
    dict(account_id="C", minute=31, kind="reply", target_key="tw:2"),
    dict(account_id="D", minute=31, kind="post", text="tw 2 is great"),
]


@pytest.mark.parametrize(
    ("behavior", "rows", "expected"),
    [
        (
            "co_retweet",
            RETWEETS,
            [
                ("A", "B", "co_retweet", 2, 2, 0, 31, 90.0, w(4) + w(2)),
                ("A", "C", "co_retweet", 1, 1, 0, 4, 240.0, w(4)),
                ("B", "C", "co_retweet", 1, 1, 2, 4, 120.0, w(4)),
            ],
        ),
        (
            "co_reply",
            [
                dict(account_id="A", minute=0, kind="reply", target_key="tw:9"),
                dict(account_id="B", minute=9, kind="reply", target_key="tw:9"),
                dict(account_id="C", minute=11, kind="reply", target_key="tw:9"),
                dict(account_id="D", minute=0, kind="retweet", target_key="tw:9"),
            ],
            [
                ("A", "B", "co_reply", 1, 1, 0, 9, 540.0, w(3)),
                ("B", "C", "co_reply", 1, 1, 9, 11, 120.0, w(3)),
            ],
        ),
    ],
)
def test_kind_behaviours(behavior, rows, expected):
    _, pairs, capped = run(behavior, posts_frame(rows))
    assert_frame_equal(pairs, pairs_frame(expected))
    assert capped.len() == 0


URL_POSTS = posts_frame([dict(account_id=a, minute=m) for a, m in
                         [("A", 0), ("B", 5), ("C", 6), ("D", 7), ("A", 100), ("B", 100)]])


@pytest.mark.parametrize(
    ("behavior", "entities", "expected"),
    [
        (
            "co_url",
            [
                ("p0", "A", 0, "url", "news.example/a"),
                ("p1", "B", 5, "url", "news.example/a"),
                ("p2", "C", 6, "url", ""),  # blank urls never count
                ("p3", "D", 7, "url", " "),
                ("p1", "B", 5, "domain", "news.example"),  # domains are not urls
                ("p0", "A", 0, "domain", "news.example"),
            ],
            [("A", "B", "co_url", 1, 1, 0, 5, 300.0, w(2))],
        ),
        (
            "co_hashtag",
            [
                # a trending tag used by four accounts, a rare one used by two
                ("p0", "A", 0, "hashtag", "trend"),
                ("p1", "B", 5, "hashtag", "trend"),
                ("p2", "C", 6, "hashtag", "trend"),
                ("p3", "D", 7, "hashtag", "trend"),
                ("p4", "A", 100, "hashtag", "rare"),
                ("p4", "A", 100, "hashtag", "rare"),  # twice in one post = one event
                ("p5", "B", 100, "hashtag", "rare"),
            ],
            [
                ("A", "B", "co_hashtag", 2, 2, 0, 100, 150.0, w(4) + w(2)),
                ("B", "C", "co_hashtag", 1, 1, 5, 6, 60.0, w(4)),
                ("B", "D", "co_hashtag", 1, 1, 5, 7, 120.0, w(4)),
                ("C", "D", "co_hashtag", 1, 1, 6, 7, 60.0, w(4)),
            ],
        ),
    ],
)
def test_entity_behaviours(behavior, entities, expected):
    _, pairs, _ = run(behavior, URL_POSTS, entities_frame(entities))
    assert_frame_equal(pairs, pairs_frame(expected))


TEXT = "the council will vote on the harbor bill tonight"


def test_co_text_identical_and_near_duplicates():
    rows = [
        dict(account_id="A", minute=0, text=TEXT),
        dict(account_id="B", minute=10, text=TEXT.upper() + "!!! https://t.co/x @someone"),
        # one word added: 7 of 8 shingles shared (Jaccard 0.875)
        dict(account_id="C", minute=20, text=TEXT + " again"),
        # a different text, and the same text as a retweet, never pair
        dict(account_id="D", minute=5, text="nothing to do with any of this at all"),
        dict(account_id="E", minute=5, kind="retweet", text=TEXT, target_key="txt:1"),
        # too short to count (under text_min_words), even when identical
        dict(account_id="A", minute=30, text="good morning"),
        dict(account_id="B", minute=30, text="good morning"),
        # identical text outside the 1 h window
        dict(account_id="F", minute=200, text=TEXT),
    ]
    evidence, pairs, _ = run("co_text", posts_frame(rows))
    # A-B identical (A, B and F posted it this month); A-C and B-C near duplicates (target =
    # C's text, posted by 1 account: floor 2)
    expected = pairs_frame([
        ("A", "B", "co_text", 1, 1, 0, 10, 600.0, w(3)),
        ("A", "C", "co_text", 1, 1, 0, 20, 1200.0, w(2)),
        ("B", "C", "co_text", 1, 1, 10, 20, 600.0, w(2)),
    ])
    assert_frame_equal(pairs, expected)
    assert evidence.filter(pl.col("account_b") == "C")["b_post_id"].to_list() == ["p2", "p2"]


@pytest.mark.parametrize("text", [
    TEXT, "", " ", "  ", "a b", "a  b", " a ", "a_b", "a _ b", "__", "a!b", "a! b", "a !b",
    "a\tb", "a \t b", "a\u00a0b", "RT @x: Hi... there!!", "@a@b c", "x https://t.co/a?b=1 y",
    "caf\u00e9 na\u00efve \u2014 \u00bfqu\u00e9?", "\u4e2d\u6587 \u6587\u5b57",
    "emoji \U0001f600 \U0001f600x",
    "1,000 $5 #tag", "end.", ".start", "a\nb\r\nc",
])
def test_normalise_text_is_the_two_pass_definition(text):
    """One pass over runs of non-word characters = punctuation to spaces, then spaces squeezed."""
    assert_two_pass([text])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=" _a\u00e9Z9.!@#:/\t\n\u00a0\u2014\U0001f600", max_size=30),
                min_size=1, max_size=20))
def test_normalise_text_is_the_two_pass_definition_on_any_text(texts):
    assert_two_pass(texts)


def assert_two_pass(texts: list[str]) -> None:
    two_pass = (
        pl.col("t").str.to_lowercase()
        .str.replace(r"^rt @\w+:?", "")
        .str.replace_all(r"https?://\S+", " ")
        .str.replace_all(r"@\w+", " ")
        .str.replace_all(r"[^\w\s]|_", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    frame = pl.DataFrame({"t": texts})
    assert_frame_equal(frame.select(normalise_text(pl.col("t"))), frame.select(two_pass))


def test_co_text_dissimilar_variants_do_not_pair():
    rows = [
        dict(account_id="A", minute=0, text=TEXT),
        dict(account_id="B", minute=1, text="the council will vote on the budget next week"),
    ]
    _, pairs, _ = run("co_text", posts_frame(rows))
    assert pairs.height == 0


def test_co_burst_keeps_only_pairs_far_above_chance():
    rows = []
    # A and B post in the same 4 minutes; each also posts alone in 4 other minutes.
    for m in (0, 100, 200, 300):
        rows += [dict(account_id="A", minute=m), dict(account_id="B", minute=m)]
    for m in (1, 2, 3, 4):
        rows += [dict(account_id="A", minute=m * 7 + 10), dict(account_id="B", minute=m * 7 + 500)]
    # C and D share 2 minutes only (under burst_min_minutes)
    rows += [dict(account_id=a, minute=m) for a in "CD" for m in (600, 601)]
    # 200 background accounts, each active in its own 5 minutes, so the month has many
    # active minutes and chance co-occurrence is rare
    rows += [dict(account_id=f"Z{i:03d}", minute=1000 + i * 5 + j) for i in range(200)
             for j in range(5)]
    evidence, pairs, _ = run("co_burst", posts_frame(rows))
    assert pairs.select("account_a", "account_b", "shared_targets").rows() == [("A", "B", 4)]
    assert evidence.height == 4
    assert evidence["lag_s"].to_list() == [0.0] * 4


def test_co_burst_skips_crowded_minutes():
    params = CoactivityParams(burst_max_accounts=3, burst_min_minutes=1, burst_min_ratio=0,
                              pair_min_events=1)
    rows = [dict(account_id=a, minute=0) for a in "ABCD"]  # 4 > 3 accounts: skipped
    rows += [dict(account_id=a, minute=1) for a in "AB"]
    _, pairs, _ = run("co_burst", posts_frame(rows), params=params)
    assert pairs.select("account_a", "account_b", "shared_events").rows() == [("A", "B", 1)]


def test_viral_tweet_pairs_are_bounded_and_light():
    params = CoactivityParams(max_k=10, pair_min_events=1, pair_min_weight=0.0)
    rows = [dict(account_id=f"U{i:04d}", minute=i / 100, kind="retweet", target_key="tw:v")
            for i in range(1000)]
    evidence, pairs, capped = run("co_retweet", posts_frame(rows), params=params)
    assert evidence.height == sum(min(i, 10) for i in range(1000))  # not 1000 * 999 / 2
    assert capped.len() == 1000 - 11
    assert pairs["weight"].max() == pytest.approx(w(1000))


def test_evidence_schema_and_orientation():
    evidence, _, _ = run("co_retweet", posts_frame(RETWEETS))
    assert evidence.schema == pl.Schema(EVENTS_SCHEMA)
    assert (evidence["account_a"] < evidence["account_b"]).all()
    row = evidence.filter(account_a="A", account_b="C").row(0, named=True)
    assert (row["a_at"], row["b_at"], row["a_post_id"], row["b_post_id"]) == (at(0), at(4), "p0",
                                                                               "p2")


@pytest.mark.parametrize("behavior", ["co_retweet", "co_hashtag"])
def test_string_level_transforms_agree_with_the_coded_build_path(behavior):
    """coactivity_pairs / target_popularity on archive ids give what the build (codes) gives."""
    posts = posts_frame(RETWEETS)
    entities = entities_frame([("p0", "A", 0, "hashtag", "x"), ("p1", "B", 2, "hashtag", "x"),
                               ("p2", "C", 4, "hashtag", "x"), ("p4", "A", 30, "hashtag", "y")])
    ev = behavior_events(behavior, posts.lazy(), entities.lazy(), PARAMS).collect()
    res = behavior_coactivity(behavior, ev, PARAMS)
    pop = target_popularity(ev.lazy(), behavior, PARAMS.period).collect()
    assert_frame_equal(pop.sort("target"), res.popularity.sort("target"))
    assert_frame_equal(coactivity_pairs(res.evidence.lazy(), pop.lazy()).collect(), res.pairs)
    assert ev.schema == pl.Schema(EVENT_SCHEMA)


def test_weak_pairs_are_counted_not_stored():
    """Default bar: >= 2 co-actions, or one on a target at most 3 accounts touched."""
    rows = [dict(account_id=a, minute=m, kind="retweet", target_key=t) for a, m, t in [
        # A-B: one co-retweet of a target 5 accounts retweeted (weight 1/log2(6) < 0.5): weak
        ("A", 0, "tw:1"), ("B", 1, "tw:1"), ("X", 30, "tw:1"), ("Y", 30, "tw:1"), ("Z", 30, "tw:1"),
        # C-D: one co-retweet of a target only they retweeted (weight 0.63): kept
        ("C", 0, "tw:2"), ("D", 1, "tw:2"),
        # E-F: two co-retweets of popular targets: kept
        ("E", 100, "tw:1"), ("F", 101, "tw:1"), ("E", 100, "tw:3"), ("F", 102, "tw:3"),
        ("X", 200, "tw:3"), ("Y", 200, "tw:3"), ("Z", 200, "tw:3"),
    ]]
    ev = behavior_events("co_retweet", posts_frame(rows).lazy(), None, PARAMS).collect()
    res = behavior_coactivity("co_retweet", ev, CoactivityParams())
    kept = set(res.pairs.select("account_a", "account_b").rows())
    assert ("A", "B") not in kept and {("C", "D"), ("E", "F")} <= kept
    assert set(res.evidence.select("account_a", "account_b").rows()) == kept
    assert res.weak["weak_pairs"].sum() == res_all_pairs(ev) - len(kept)


def res_all_pairs(ev) -> int:
    return behavior_coactivity("co_retweet", ev, PARAMS).pairs.height


def test_param_defaults_match_the_settings_defaults():
    # The transforms keep their own params (no settings import); the two must not drift.
    from sockpuppet.settings import Settings

    assert CoactivityParams() == CoactivityParams.from_settings(Settings())


@pytest.mark.parametrize("behavior", ["co_retweet", "co_reply", "co_url", "co_text",
                                      "co_hashtag", "co_burst"])
@pytest.mark.parametrize("rows", [[], [dict(account_id="A", minute=0, kind="reply",
                                            target_key="tw:1")]])
def test_behaviours_without_events_give_empty_tables(behavior, rows):
    """A period with no (or a lone) event of a behaviour: empty frames with the output schemas."""
    evidence, pairs, capped = run(behavior, posts_frame(rows))
    assert evidence.schema == pl.Schema(EVENTS_SCHEMA) and evidence.height == 0
    assert pairs.schema == pl.Schema(PAIRS_SCHEMA) and pairs.height == 0
    assert capped.len() == 0
