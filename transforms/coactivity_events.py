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

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from transforms import minhash, targets
from transforms.coactivity_pairs import SCHEMA as PAIRS_SCHEMA
from transforms.coactivity_pairs import coactivity_pairs
from transforms.periods import period_of
from transforms.sweep import SweepResult, window_pairs
from transforms.target_popularity import target_popularity

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
    pair_min_events: int = 2
    pair_min_weight: float = 0.5
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
            pair_min_events=s.pair_min_events,
            pair_min_weight=s.pair_min_weight,
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


@dataclass(frozen=True)
class BehaviorResult:
    """Everything one behaviour contributes to the derived tables (of the owned period)."""

    evidence: pl.DataFrame  # coactivity_events rows (SCHEMA)
    pairs: pl.DataFrame  # coactivity_pairs rows
    popularity: pl.DataFrame  # target_popularity rows
    capped_t: pl.Series  # times of the events the cap max_k bit
    weak: pl.DataFrame  # per period: weak_pairs, weak_events (below the pair_min_* bar, dropped)


def _epoch_s(keep_from: datetime | None) -> int | None:
    if keep_from is None:
        return None
    return int(pl.Series([keep_from]).cast(pl.Datetime("us")).dt.epoch("s")[0])


def _owned(lf: pl.LazyFrame, keep_from: datetime | None) -> pl.LazyFrame:
    return lf if keep_from is None else lf.filter(pl.col("t") >= keep_from)


def encode(events: pl.DataFrame) -> pl.DataFrame:
    """Add integer codes: ``row`` (position), ``acc`` (1.., in account_id order), ``grp`` (target).

    Sorting, grouping and aggregating u32 codes instead of archive ids (44-character hashes in io
    archives) is several times faster and smaller (scale); strings come back only in the output.
    Because ``acc`` follows account_id order, ``acc_a < acc_b`` iff ``account_a < account_b``.
    """
    return events.with_row_index("row").with_columns(
        acc=pl.col("account_id").rank("dense").cast(pl.UInt32),
        grp=pl.col("target").rank("dense").cast(pl.UInt32),
    )


def _coded_pairs(res: SweepResult, period: str, target: str = "grp") -> pl.LazyFrame:
    """Turn sweep index pairs into coded pair rows, oriented so that account_a < account_b.

    Columns: account_a, account_b, period, target, a_at, b_at, lag_s, a_row, b_row.
    """
    sides = res.gather(["acc", "t", "row", target]).lazy()
    l_is_a = pl.col("acc_l") < pl.col("acc_e")

    def side(col: str, a: bool) -> pl.Expr:
        first, second = (f"{col}_l", f"{col}_e") if a else (f"{col}_e", f"{col}_l")
        return pl.when(l_is_a).then(pl.col(first)).otherwise(pl.col(second))

    lag_us = pl.col("t_l").dt.epoch("us") - pl.col("t_e").dt.epoch("us")
    return sides.select(
        side("acc", True).alias("account_a"),
        side("acc", False).alias("account_b"),
        period_of(pl.col("t_l"), period).alias("period"),
        pl.col(f"{target}_l").alias("target"),
        side("t", True).alias("a_at"),
        side("t", False).alias("b_at"),
        (lag_us / 1e6).alias("lag_s"),
        side("row", True).alias("a_row"),
        side("row", False).alias("b_row"),
    )


def _decode(
    behavior: str,
    coded: pl.DataFrame,
    pairs: pl.DataFrame,
    params: CoactivityParams,
    keep_from: datetime | None,
    capped_t: pl.Series,
    target_names: pl.Series | None = None,
) -> BehaviorResult:
    """Aggregate coded pairs, then put the archive's ids and targets back."""
    names = coded.select("acc", "account_id").unique("acc").sort("acc").get_column("account_id")
    if target_names is None:
        target_names = targets.label_targets(
            coded.select("grp", "target").unique("grp").sort("grp").get_column("target")
        )

    def account(frame: pl.DataFrame, col: str) -> pl.Series:
        return names.gather(frame.get_column(col).cast(pl.Int64) - 1).alias(col)

    popularity = target_popularity(
        coded.lazy().select(pl.col("acc").alias("account_id"), pl.col("grp").alias("target"),
                            "t"),
        behavior,
        params.period,
        keep_from,
    ).collect()
    keys = ["account_a", "account_b", "period"]
    # Cheap bound first (scale): most raw pairs are one co-action on a popular target. One
    # group-by gives each pair's co-actions and an upper bound of its weight (the sum over
    # co-actions >= the sum over distinct targets); only pairs that may pass are aggregated fully.
    accounts = pl.max_horizontal(pl.col("accounts"), pl.lit(2)).cast(pl.Float64)
    bound = (
        pairs.lazy()
        .join(
            popularity.lazy().select("period", "target", w=1.0 / (1.0 + accounts).log(2)),
            on=["period", "target"],
            how="left",
        )
        .group_by(keys)
        .agg(n=pl.len(), w=pl.col("w").fill_null(1.0 / math.log2(3)).sum())
        .collect()
    )
    maybe = bound.filter(
        (pl.col("n") >= params.pair_min_events) | (pl.col("w") >= params.pair_min_weight)
    ).select(keys)
    pairs = pairs.join(maybe, on=keys, how="semi", maintain_order="left")
    agg = (
        coactivity_pairs(pairs.lazy(), popularity.lazy(), keys)
        .filter(
            (pl.col("shared_events") >= params.pair_min_events)
            | (pl.col("weight") >= params.pair_min_weight)
        )
        .with_columns(behavior=pl.lit(behavior))
        .select(list(PAIRS_SCHEMA))
        .collect()
    )
    pairs = pairs.join(agg.select(keys), on=keys, how="semi", maintain_order="left")
    kept = agg.group_by("period").agg(k=pl.len(), ke=pl.col("shared_events").sum())
    weak = (
        bound.group_by("period")
        .agg(a=pl.len(), ae=pl.col("n").sum())
        .join(kept, on="period", how="left")
        .select(
            "period",
            weak_pairs=(pl.col("a") - pl.col("k").fill_null(0)).cast(pl.Int64),
            weak_events=(pl.col("ae") - pl.col("ke").fill_null(0)).cast(pl.Int64),
        )
    )
    post_ids = coded.get_column("post_id")
    evidence = pairs.select(
        account(pairs, "account_a"),
        account(pairs, "account_b"),
        pl.lit(behavior).alias("behavior"),
        "period",
        target_names.gather(pairs.get_column("target").cast(pl.Int64) - 1).alias("target"),
        "a_at",
        "b_at",
        "lag_s",
        post_ids.gather(pairs.get_column("a_row")).alias("a_post_id"),
        post_ids.gather(pairs.get_column("b_row")).alias("b_post_id"),
    )
    return BehaviorResult(
        evidence=evidence,
        pairs=agg.with_columns(account(agg, "account_a"), account(agg, "account_b")),
        popularity=popularity.select(
            "behavior",
            "period",
            target_names.gather(popularity.get_column("target").cast(pl.Int64) - 1),
            "accounts",
            "events",
        ).sort("behavior", "period", "target"),
        capped_t=capped_t,
        weak=weak,
    )


def behavior_coactivity(
    behavior: str,
    events: pl.DataFrame,
    params: CoactivityParams,
    keep_from: datetime | None = None,
) -> BehaviorResult:
    """Evidence, pairs and target popularity of one behaviour from its events.

    ``keep_from``: only pairs whose later event is at or after it are returned (and only those
    events count for popularity and the cap); ``events`` must then include one window before it.
    """
    coded = encode(events)
    if behavior == "co_text":
        return _text(coded, params, keep_from)
    if behavior == "co_burst":
        return _burst(coded, params, keep_from)
    res = window_pairs(
        coded.select("grp", "t", "acc", "row"),
        params.windows[behavior],
        params.max_k,
        _epoch_s(keep_from),
        group="grp",
        account="acc",
        tiebreak=(),
    )
    pairs = _coded_pairs(res, params.period).collect()
    return _decode(behavior, coded, pairs, params, keep_from, res.capped_t)


def coactivity_events(
    behavior: str,
    events: pl.DataFrame,
    params: CoactivityParams,
    keep_from: datetime | None = None,
) -> tuple[pl.DataFrame, pl.Series]:
    """Evidence rows (SCHEMA) of one behaviour and the times of the events the cap bit."""
    res = behavior_coactivity(behavior, events, params, keep_from)
    return res.evidence, res.capped_t


def _text(
    coded: pl.DataFrame, params: CoactivityParams, keep_from: datetime | None
) -> BehaviorResult:
    window, k, kf = params.windows["co_text"], params.max_k, _epoch_s(keep_from)
    exact = window_pairs(
        coded.select("grp", "t", "acc", "row"), window, k, kf,
        group="grp", account="acc", tiebreak=(),
    )
    texts = coded.lazy().select(pl.col("grp").alias("target"), "norm").unique("target")
    shingled = minhash.shingles(texts, params.text_shingle_words).collect()
    buckets = minhash.band_buckets(shingled, params.text_bands, params.text_rows)
    # A bucket holding one distinct text can only give identical-text pairs (found above).
    shared = buckets.group_by("bucket").len().filter(pl.col("len") >= 2).select("bucket")
    buckets = buckets.join(shared, on="bucket", how="semi")
    band_events = coded.select("acc", "t", "row", pl.col("grp").alias("text")).join(
        buckets.rename({"target": "text"}), on="text"
    )
    near = window_pairs(
        band_events, window, k, kf, group="bucket", account="acc", tiebreak=("text",)
    )
    candidates = (
        near.gather(["row", "text"]).lazy()
        .filter(pl.col("text_l") != pl.col("text_e"))
        .unique(["row_l", "row_e"])
    )
    similar = minhash.jaccard(
        candidates.select(pl.col("text_l").alias("text_x"), pl.col("text_e").alias("text_y"))
        .unique(),
        shingled.lazy(),
    ).filter(pl.col("jaccard") >= params.text_similarity)
    keep = candidates.join(
        similar, left_on=["text_l", "text_e"], right_on=["text_x", "text_y"], how="semi"
    ).collect()
    # The near-duplicate pair's target is the later post's text.
    near_res = SweepResult(coded, keep.get_column("row_l"), keep.get_column("row_e"),
                           near.capped_t)
    pairs = pl.concat(
        [
            _coded_pairs(exact, params.period).collect(),
            _coded_pairs(near_res, params.period).collect(),
        ]
    )
    # Only the identical-text sweep reports its cap: which single-text buckets the near-duplicate
    # sweep skips depends on the texts read, so its cap count would differ between a partition
    # and a whole run (its pairs do not: a single-text bucket only yields identical-text pairs).
    return _decode("co_text", coded, pairs, params, keep_from, exact.capped_t)


def _burst(
    coded: pl.DataFrame, params: CoactivityParams, keep_from: datetime | None
) -> BehaviorResult:
    owned = _owned(coded.lazy(), keep_from).with_columns(
        period=period_of(pl.col("t"), params.period)
    )
    per_minute = owned.group_by("grp").agg(n=pl.len())
    quiet = owned.join(
        per_minute.filter(pl.col("n").is_between(2, params.burst_max_accounts)),
        on="grp",
        how="semi",
    ).select("grp", "t", "acc", "row")
    # Every account of a quiet minute pairs with every other: K = burst_max_accounts is exact.
    res = window_pairs(
        quiet.collect(), 0, params.burst_max_accounts, None,
        group="grp", account="acc", tiebreak=(),
    )
    pairs = _coded_pairs(res, params.period).collect()
    minutes = owned.group_by("acc", "period").agg(n=pl.len()).collect()
    totals = owned.group_by("period").agg(total=pl.col("grp").n_unique()).collect()
    keys = ["account_a", "account_b", "period"]
    # Eager steps: one lazy plan over these joins ran ~4x slower (polars 2.1 plans it badly).
    kept = (
        pairs.group_by(keys)
        .agg(shared=pl.len())
        .join(totals, on="period")
        .join(minutes.rename({"acc": "account_a", "n": "n_a"}), on=["account_a", "period"])
        .join(minutes.rename({"acc": "account_b", "n": "n_b"}), on=["account_b", "period"])
        .filter(
            (pl.col("shared") >= params.burst_min_minutes)
            & (
                pl.col("shared").cast(pl.Float64) * pl.col("total")
                >= params.burst_min_ratio * pl.col("n_a").cast(pl.Float64) * pl.col("n_b")
            )
        )
        .select(keys)
    )
    kept_pairs = pairs.join(kept, on=keys, how="semi", maintain_order="left")
    return _decode("co_burst", coded, kept_pairs, params, keep_from, res.capped_t)
