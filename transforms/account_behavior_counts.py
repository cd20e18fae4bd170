"""``account_behavior_counts``: each account's activity per behaviour and period.

Grain: one row per (account_id, behavior, period); key the same. ``events`` = the account's
co-activity events (retweets, replies, url/hashtag uses, qualifying original posts, active
minutes for co_burst), ``targets`` = distinct targets among them. With ``target_popularity`` this
is what a null model of "how many targets would two accounts share by chance" needs.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from transforms.periods import period_of

SCHEMA = {
    "account_id": pl.String,
    "behavior": pl.String,
    "period": pl.Date,
    "events": pl.Int64,
    "targets": pl.Int64,
}


def account_behavior_counts(
    events: pl.LazyFrame, behavior: str, period: str, keep_from: datetime | None = None
) -> pl.LazyFrame:
    owned = events if keep_from is None else events.filter(pl.col("t") >= keep_from)
    return (
        owned.group_by("account_id", period_of(pl.col("t"), period).alias("period"))
        .agg(events=pl.len(), targets=pl.col("target").n_unique())
        .select(
            "account_id",
            pl.lit(behavior).alias("behavior"),
            "period",
            pl.col("events").cast(pl.Int64),
            pl.col("targets").cast(pl.Int64),
        )
    )
