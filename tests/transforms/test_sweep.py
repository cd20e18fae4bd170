from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.sweep import Sweep

T0 = datetime(2020, 1, 1)


def events(rows: list[tuple[str, str, int]]) -> pl.DataFrame:
    """(account, target, second offset) -> an events frame; post_id = row number."""
    return pl.DataFrame(
        {
            "account_id": [r[0] for r in rows],
            "target": [r[1] for r in rows],
            "t": [T0 + timedelta(seconds=r[2]) for r in rows],
            "post_id": [f"{i:04d}" for i in range(len(rows))],
        },
        schema={"account_id": pl.String, "target": pl.String, "t": pl.Datetime("us"),
                "post_id": pl.String},
    )


def as_set(res) -> set[tuple]:
    return set(res.gather(["target", "account_id", "t"]).select(
        pl.col("target_l").alias("target"), "account_id_l", "t_l", "account_id_e", "t_e"
    ).iter_rows())


def reference(ev: pl.DataFrame, window_s: int, max_k: int) -> tuple[set[tuple], int]:
    """Brute force: each event's first max_k predecessors (target, t, account, post order)
    inside the window, pairs of different accounts; capped = events with more than max_k."""
    rows = sorted(ev.iter_rows(named=True), key=lambda r: (r["target"], r["t"], r["account_id"],
                                                            r["post_id"]))
    pairs, capped = set(), 0
    for i, r in enumerate(rows):
        preds = [
            p for p in reversed(rows[:i])
            if p["target"] == r["target"] and (r["t"] - p["t"]).total_seconds() <= window_s
        ]
        capped += len(preds) > max_k
        for p in preds[:max_k]:
            if p["account_id"] != r["account_id"]:
                pairs.add((r["target"], r["account_id"], r["t"], p["account_id"], p["t"]))
    return pairs, capped


@pytest.mark.parametrize(
    ("rows", "window_s", "expected"),
    [
        # lag == window pairs, lag == window + 1 does not
        ([("a", "x", 0), ("b", "x", 300), ("c", "x", 601)], 300, {("b", 300, "a", 0)}),
        # the same account never pairs with itself; other targets never pair
        ([("a", "x", 0), ("a", "x", 10), ("b", "y", 20)], 300, set()),
        # simultaneous events pair once, the later being the larger account
        ([("b", "x", 0), ("a", "x", 0)], 0, {("b", 0, "a", 0)}),
        # an account acting twice pairs twice with a third one in between
        ([("a", "x", 0), ("b", "x", 60), ("a", "x", 120)], 300,
         {("b", 60, "a", 0), ("a", 120, "b", 60)}),
    ],
)
def test_sweep_exact(rows, window_s, expected):
    res = Sweep(events(rows), window_s, max_k=10).result()
    got = {(al, (tl - T0).seconds, ae, (te - T0).seconds)
           for _, al, tl, ae, te in as_set(res)}
    assert got == expected
    assert res.capped == 0


def test_hot_target_is_bounded_by_k():
    # 2,000 accounts retweet one tweet within a minute: 2,000 x 1,999 / 2 pairs uncapped.
    rows = [(f"u{i:05d}", "tw:viral", i % 60) for i in range(2000)]
    res = Sweep(events(rows), 300, max_k=5).result()
    assert res.later.len() <= 2000 * 5
    assert res.capped == 2000 - 6  # every event with more than 5 predecessors lost some
    assert res.later.len() == sum(min(i, 5) for i in range(2000))


def test_keep_from_drops_pairs_owned_by_the_previous_partition():
    rows = [("a", "x", 0), ("b", "x", 100), ("c", "x", 200)]
    res = Sweep(events(rows), 300, 10, keep_from=int(T0.timestamp()) + 150).result()
    assert {r[1] for r in as_set(res)} == {"c"}


event_rows = st.lists(
    st.tuples(st.sampled_from("abcde"), st.sampled_from(["x", "y", "z"]),
              st.integers(0, 1800)),
    max_size=40,
).map(lambda rows: list({(a, g, s): None for a, g, s in rows}))


@settings(max_examples=200, deadline=None)
@given(rows=event_rows, window_s=st.sampled_from([0, 60, 300, 900]),
       max_k=st.sampled_from([1, 2, 3, 1000]))
def test_sweep_matches_brute_force(rows, window_s, max_k):
    ev = events(rows)
    res = Sweep(ev, window_s, max_k).result()
    expected, capped = reference(ev, window_s, max_k)
    assert as_set(res) == expected
    assert res.later.len() == len(expected)  # no duplicate pairs
    assert res.capped == capped
