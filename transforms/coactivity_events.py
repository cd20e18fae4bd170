"""``coactivity_events``: the evidence behind ``coactivity_pairs``, one row per co-action.

Grain: one row per pair of events (one of ``account_a``, one of ``account_b``) of the same target
inside the behaviour's window; key (account_a, account_b, behavior, target, a_at, b_at).
``account_a < account_b`` (the archive's own ids), ``period`` is the period of the later event,
``lag_s = |b_at - a_at|``; ``a_post_id``/``b_post_id`` name the posts, so an analyst can show
"these accounts retweeted this tweet at 14:02, 14:03 and 14:05".

Size bound: every behaviour pairs each event with at most ``max_k`` in-window predecessors of the
same target (``transforms.sweep``), so this table has at most ``events x max_k`` rows per
behaviour (in practice far fewer: most targets have one account in any window).

Behaviours (events from ``transforms.targets``):
- ``co_retweet``, ``co_reply``, ``co_url``, ``co_hashtag``: the plain windowed sweep on target.
- ``co_text``: identical normalised texts (sweep on the text), plus near-duplicates: every
  original post is also an event of each LSH band bucket of its text (``transforms.minhash``)
  that holds at least two distinct texts; those sweeps give candidate pairs of *different* texts,
  kept when the exact shingle Jaccard is >= ``text_similarity`` (target: the later post's text).
- ``co_burst``: same-minute activity. Minutes with more than ``burst_max_accounts`` active
  accounts are skipped (work <= active minutes x burst_max_accounts), then a pair is kept when
  it shares >= ``burst_min_minutes`` minutes in the period and shared / expected >=
  ``burst_min_ratio`` with expected = n_a * n_b / (active minutes of the period), n = an
  account's active minutes in the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from transforms import minhash, targets
from transforms.sweep import window_pairs

BEHAVIORS = ("co_retweet", "co_reply", "co_url", "co_text", "co_hashtag", "co_burst")

SCHEMA = {
    "account_a": pl.String,
    "account_b": pl.String,
    "behavior": pl.String,
    "period": pl.Date,
    "target": pl.String,
    "a_at": pl.Datetime("us"),
    "b_at": pl.Datetime("us"),
    "lag_s": pl.Float64,
    "a_post_id": pl.String,
    "b_post_id": pl.String,
}


@dataclass(frozen=True)
class CoactivityParams:
    """The knobs of the co-activity transforms (built from ``Settings``; defaults match)."""

    period: str = "1mo"
    windows: dict[str, int] = field(
        default_factory=lambda: {
            "co_retweet": 300,
            "co_reply": 600,
            "co_url": 900,
            "co_text": 3600,
            "co_hashtag": 300,
            "co_burst": 0,
        }
    )
    max_k: int = 50
    text_min_words: int = 5
    text_shingle_words: int = 3
    text_similarity: float = 0.8
    text_bands: int = 8
    text_rows: int = 4
    burst_max_accounts: int = 50
    burst_min_minutes: int = 3
    burst_min_ratio: float = 10.0

    @classmethod
    def from_settings(cls, s: Any) -> CoactivityParams:
        return cls(
            period=s.period,
            windows={
                "co_retweet": s.window_co_retweet_s,
                "co_reply": s.window_co_reply_s,
                "co_url": s.window_co_url_s,
                "co_text": s.window_co_text_s,
                "co_hashtag": s.window_co_hashtag_s,
                "co_burst": 0,
            },
            max_k=s.coactivity_max_k,
            text_min_words=s.text_min_words,
            text_shingle_words=s.text_shingle_words,
            text_similarity=s.text_similarity,
            text_bands=s.text_bands,
            text_rows=s.text_rows,
            burst_max_accounts=s.burst_max_accounts,
            burst_min_minutes=s.burst_min_minutes,
            burst_min_ratio=s.burst_min_ratio,
        )

    @property
    def max_window_s(self) -> int:
        return max(self.windows.values())


def behavior_events(
    behavior: str, posts: pl.LazyFrame, entities: pl.LazyFrame, params: CoactivityParams
) -> pl.LazyFrame:
    """Extract one behaviour's (account_id, target, t, post_id) events (co_text adds ``norm``)."""
    if behavior == "co_retweet":
        return targets.retweet_events(posts)
    if behavior == "co_reply":
        return targets.reply_events(posts)
    if behavior == "co_url":
        return targets.url_events(entities)
    if behavior == "co_hashtag":
        return targets.hashtag_events(entities)
    if behavior == "co_text":
        return targets.text_events(posts, params.text_min_words)
    if behavior == "co_burst":
        return targets.minute_events(posts)
    raise ValueError(f"unknown behavior {behavior!r}; expected one of {BEHAVIORS}")


def period_of(t: pl.Expr, period: str) -> pl.Expr:
    return t.dt.truncate(period).cast(pl.Date)


def orient(pairs: pl.LazyFrame, behavior: str, period: str) -> pl.LazyFrame:
    """Sweep pairs (later ``_l`` / earlier ``_e``) -> SCHEMA rows with account_a < account_b."""
    l_is_a = pl.col("account_id_l") < pl.col("account_id_e")

    def side(col: str, a: bool) -> pl.Expr:
        first, second = (f"{col}_l", f"{col}_e") if a else (f"{col}_e", f"{col}_l")
        return pl.when(l_is_a).then(pl.col(first)).otherwise(pl.col(second))

    lag_us = pl.col("t_l").dt.epoch("us") - pl.col("t_e").dt.epoch("us")
    return pairs.select(
        side("account_id", True).alias("account_a"),
        side("account_id", False).alias("account_b"),
        pl.lit(behavior).alias("behavior"),
        period_of(pl.col("t_l"), period).alias("period"),
        pl.col("target").cast(pl.String),
        side("t", True).alias("a_at"),
        side("t", False).alias("b_at"),
        (lag_us / 1e6).alias("lag_s"),
        side("post_id", True).alias("a_post_id"),
        side("post_id", False).alias("b_post_id"),
    )


def _epoch_s(keep_from: datetime | None) -> int | None:
    if keep_from is None:
        return None
    return int(pl.Series([keep_from]).cast(pl.Datetime("us")).dt.epoch("s")[0])


def _owned(lf: pl.LazyFrame, keep_from: datetime | None) -> pl.LazyFrame:
    return lf if keep_from is None else lf.filter(pl.col("t") >= keep_from)


def coactivity_events(
    behavior: str,
    events: pl.DataFrame,
    params: CoactivityParams,
    keep_from: datetime | None = None,
) -> tuple[pl.DataFrame, pl.Series]:
    """Evidence rows (SCHEMA) of one behaviour, and the times of the events the cap ``max_k`` bit.

    ``keep_from``: only pairs whose later event is at or after it are returned (and only those
    events count as capped); ``events`` must then include one window before it.
    """
    if behavior == "co_text":
        return _text_events(events, params, keep_from)
    if behavior == "co_burst":
        return _burst_events(events, params, keep_from)
    res = window_pairs(
        events.select(list(targets.EVENT_SCHEMA)),
        params.windows[behavior],
        params.max_k,
        _epoch_s(keep_from),
    )
    return orient(res.pairs.lazy(), behavior, params.period).collect(), res.capped_t


def _text_events(
    events: pl.DataFrame, params: CoactivityParams, keep_from: datetime | None
) -> tuple[pl.DataFrame, pl.Series]:
    window, k, kf = params.windows["co_text"], params.max_k, _epoch_s(keep_from)
    exact = window_pairs(events.select(list(targets.EVENT_SCHEMA)), window, k, kf)
    texts = events.lazy().select("target", "norm").unique("target")
    shingled = minhash.shingles(texts, params.text_shingle_words).collect()
    buckets = minhash.band_buckets(shingled, params.text_bands, params.text_rows)
    # A bucket holding one distinct text can only give identical-text pairs (found above).
    shared = buckets.group_by("bucket").len().filter(pl.col("len") >= 2).select("bucket")
    buckets = buckets.join(shared, on="bucket", how="semi")
    band_events = events.select(
        "account_id", pl.col("target").alias("text"), "t", "post_id"
    ).join(buckets.rename({"target": "text", "bucket": "target"}), on="text")
    near = window_pairs(band_events, window, k, kf)
    candidates = near.pairs.lazy().filter(pl.col("text_l") != pl.col("text_e")).unique(
        ["account_id_l", "t_l", "text_l", "account_id_e", "t_e", "text_e"]
    )
    similar = minhash.jaccard(
        candidates.select(pl.col("text_l").alias("text_x"), pl.col("text_e").alias("text_y"))
        .unique(),
        shingled.lazy(),
    ).filter(pl.col("jaccard") >= params.text_similarity)
    near_pairs = candidates.join(
        similar, left_on=["text_l", "text_e"], right_on=["text_x", "text_y"], how="semi"
    ).with_columns(target=pl.col("text_l"))
    out = pl.concat(
        [
            orient(exact.pairs.lazy(), "co_text", params.period),
            orient(near_pairs, "co_text", params.period),
        ]
    ).collect()
    # Only the identical-text sweep reports its cap: which single-text buckets the near-duplicate
    # sweep skips depends on the texts read, so its cap count would differ between a partition
    # and a whole run (its pairs do not: a single-text bucket only yields identical-text pairs).
    return out, exact.capped_t


def _burst_events(
    events: pl.DataFrame, params: CoactivityParams, keep_from: datetime | None
) -> tuple[pl.DataFrame, pl.Series]:
    owned = _owned(events.lazy(), keep_from).with_columns(
        period=period_of(pl.col("t"), params.period)
    )
    per_minute = owned.group_by("target").agg(n=pl.len())
    quiet = owned.join(
        per_minute.filter(pl.col("n").is_between(2, params.burst_max_accounts)),
        on="target",
        how="semi",
    ).select(list(targets.EVENT_SCHEMA))
    # Every account of a quiet minute pairs with every other: K = burst_max_accounts is exact.
    res = window_pairs(quiet.collect(), 0, params.burst_max_accounts, None)
    pairs = orient(res.pairs.lazy(), "co_burst", params.period)
    minutes = owned.group_by("account_id", "period").agg(n=pl.len())
    totals = owned.group_by("period").agg(total=pl.col("target").n_unique())
    keys = ["account_a", "account_b", "period"]
    kept = (
        pairs.group_by(keys)
        .agg(shared=pl.len())
        .join(totals, on="period")
        .join(minutes.rename({"account_id": "account_a", "n": "n_a"}), on=["account_a", "period"])
        .join(minutes.rename({"account_id": "account_b", "n": "n_b"}), on=["account_b", "period"])
        .filter(
            (pl.col("shared") >= params.burst_min_minutes)
            & (
                pl.col("shared") * pl.col("total")
                >= params.burst_min_ratio * pl.col("n_a") * pl.col("n_b")
            )
        )
        .select(keys)
    )
    return pairs.join(kept, on=keys, how="semi").collect(), res.capped_t
