"""``account_timeline``: what each account did each day.

Grain: one row per account per day (UTC); key (account_id, day).
Columns: posts (all kinds), originals / retweets / replies / quotes (by kind), distinct_targets
(distinct target_key of retweets, replies and quotes), top_hashtags / top_domains (the day's 5
most used, ties by name), languages and clients (list of struct(name, posts), most used first),
handles and display_names shown that day (sorted), active_minutes (distinct minutes with a post),
hour_profile (24 post counts, hour 0-23 UTC), first_at / last_at (first and last post).
``account_profile`` is derived from this table, never from posts again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import polars as pl

TOP_N = 5

NAME_COUNT = pl.List(pl.Struct({"name": pl.String, "posts": pl.Int64}))

SCHEMA: dict[str, Any] = {
    "account_id": pl.String,
    "day": pl.Date,
    "posts": pl.Int64,
    "originals": pl.Int64,
    "retweets": pl.Int64,
    "replies": pl.Int64,
    "quotes": pl.Int64,
    "distinct_targets": pl.Int64,
    "top_hashtags": pl.List(pl.String),
    "top_domains": pl.List(pl.String),
    "languages": NAME_COUNT,
    "clients": NAME_COUNT,
    "handles": pl.List(pl.String),
    "display_names": pl.List(pl.String),
    "active_minutes": pl.Int64,
    "hour_profile": pl.List(pl.Int64),
    "first_at": pl.Datetime("us"),
    "last_at": pl.Datetime("us"),
}

KEYS = ["account_id", "day"]


def _day() -> pl.Expr:
    return pl.col("posted_at").cast(pl.Date).alias("day")


def _name_counts(posts: pl.LazyFrame, column: str) -> pl.LazyFrame:
    return (
        posts.filter(pl.col(column).is_not_null() & (pl.col(column) != ""))
        .group_by(*KEYS, pl.col(column).alias("name"))
        .agg(posts=pl.len().cast(pl.Int64))
        .group_by(KEYS)
        .agg(
            pl.struct("name", "posts")
            .sort_by(["posts", "name"], descending=[True, False])
            .alias(column if column.endswith("s") else f"{column}s")
        )
    )


def _top_entities(entities: pl.LazyFrame, entity_type: str, alias: str) -> pl.LazyFrame:
    return (
        entities.filter(pl.col("entity_type") == entity_type)
        .group_by(*KEYS, "value")
        .agg(n=pl.len())
        .group_by(KEYS)
        .agg(
            pl.col("value")
            .sort_by(["n", "value"], descending=[True, False])
            .head(TOP_N)
            .alias(alias)
        )
    )


def account_timeline(
    posts: pl.LazyFrame, entities: pl.LazyFrame, keep_from: datetime | None = None
) -> pl.LazyFrame:
    """Live posts and their entities -> one row per (account_id, day) (only days >= keep_from)."""
    if keep_from is not None:
        posts = posts.filter(pl.col("posted_at") >= keep_from)
        entities = entities.filter(pl.col("posted_at") >= keep_from)
    posts = posts.with_columns(_day(), hour=pl.col("posted_at").dt.hour())
    entities = entities.with_columns(_day())
    kind = pl.col("kind")
    base = posts.group_by(KEYS).agg(
        posts=pl.len().cast(pl.Int64),
        originals=(kind == "post").sum().cast(pl.Int64),
        retweets=(kind == "retweet").sum().cast(pl.Int64),
        replies=(kind == "reply").sum().cast(pl.Int64),
        quotes=(kind == "quote").sum().cast(pl.Int64),
        distinct_targets=pl.col("target_key").drop_nulls().n_unique().cast(pl.Int64),
        handles=pl.col("handle").drop_nulls().unique().sort(),
        display_names=pl.col("display_name").drop_nulls().unique().sort(),
        active_minutes=pl.col("posted_at").dt.truncate("1m").n_unique().cast(pl.Int64),
        hour_profile=pl.concat_list(
            [(pl.col("hour") == h).sum().cast(pl.Int64) for h in range(24)]
        ),
        first_at=pl.col("posted_at").min(),
        last_at=pl.col("posted_at").max(),
    )
    empty_names = pl.lit([], dtype=NAME_COUNT)
    empty_strs = pl.lit([], dtype=pl.List(pl.String))
    return (
        base.join(_top_entities(entities, "hashtag", "top_hashtags"), on=KEYS, how="left")
        .join(_top_entities(entities, "domain", "top_domains"), on=KEYS, how="left")
        .join(_name_counts(posts, "language"), on=KEYS, how="left")
        .join(_name_counts(posts, "client"), on=KEYS, how="left")
        .with_columns(
            pl.col("top_hashtags").fill_null(empty_strs),
            pl.col("top_domains").fill_null(empty_strs),
            pl.col("languages").fill_null(empty_names),
            pl.col("clients").fill_null(empty_names),
        )
        .select([pl.col(c).cast(t) for c, t in SCHEMA.items()])
        .sort(KEYS)
    )
