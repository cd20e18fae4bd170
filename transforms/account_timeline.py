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


# Lists are built by sorting the (small) distinct frame once and imploding in order: sorting or
# de-duplicating inside `agg` is evaluated group by group, several times slower at scale.


def _name_counts(posts: pl.LazyFrame, column: str, alias: str) -> pl.LazyFrame:
    return (
        posts.filter(pl.col(column).is_not_null() & (pl.col(column) != ""))
        .group_by(*KEYS, pl.col(column).alias("name"))
        .agg(posts=pl.len().cast(pl.Int64))
        .sort([*KEYS, "posts", "name"], descending=[False, False, True, False])
        .group_by(KEYS, maintain_order=True)
        .agg(pl.struct("name", "posts").alias(alias))
    )


def _distinct_names(posts: pl.LazyFrame, column: str) -> pl.LazyFrame:
    return (
        posts.select(*KEYS, column)
        .drop_nulls(column)
        .unique()
        .sort([*KEYS, column])
        .group_by(KEYS, maintain_order=True)
        .agg(pl.col(column).alias(f"{column}s"))
    )


def _top_entities(entities: pl.LazyFrame, entity_type: str, alias: str) -> pl.LazyFrame:
    return (
        entities.filter(pl.col("entity_type") == entity_type)
        .group_by(*KEYS, "value")
        .agg(n=pl.len())
        .sort([*KEYS, "n", "value"], descending=[False, False, True, False])
        .group_by(KEYS, maintain_order=True)
        .agg(pl.col("value").head(TOP_N).alias(alias))
    )


def account_timeline(
    posts: pl.LazyFrame, entities: pl.LazyFrame, keep_from: datetime | None = None
) -> pl.LazyFrame:
    """Live posts and their entities -> one row per (account_id, day) (only days >= keep_from)."""
    if keep_from is not None:
        posts = posts.filter(pl.col("posted_at") >= keep_from)
        entities = entities.filter(pl.col("posted_at") >= keep_from)
    kind = pl.col("kind")
    hours = [f"_h{h:02d}" for h in range(24)]
    # Indicator columns first, plain sums in the group-by: polars aggregates `col.sum()` on its
    # fast path, while `(expr).sum()` per group is evaluated group by group (~10x slower).
    posts = posts.with_columns(
        _day(),
        _post=(kind == "post").cast(pl.Int64),
        _retweet=(kind == "retweet").cast(pl.Int64),
        _reply=(kind == "reply").cast(pl.Int64),
        _quote=(kind == "quote").cast(pl.Int64),
        _minute=pl.col("posted_at").dt.truncate("1m"),
        **{h: (pl.col("posted_at").dt.hour() == i).cast(pl.Int64) for i, h in enumerate(hours)},
    )
    entities = entities.with_columns(_day())
    base = posts.group_by(KEYS).agg(
        *[pl.col(h).sum() for h in hours],
        posts=pl.len().cast(pl.Int64),
        originals=pl.col("_post").sum(),
        retweets=pl.col("_retweet").sum(),
        replies=pl.col("_reply").sum(),
        quotes=pl.col("_quote").sum(),
        distinct_targets=pl.col("target_key").drop_nulls().n_unique().cast(pl.Int64),
        active_minutes=pl.col("_minute").n_unique().cast(pl.Int64),
        first_at=pl.col("posted_at").min(),
        last_at=pl.col("posted_at").max(),
    ).with_columns(hour_profile=pl.concat_list(hours)).drop(hours)
    empty_names = pl.lit([], dtype=NAME_COUNT)
    empty_strs = pl.lit([], dtype=pl.List(pl.String))
    return (
        base.join(_top_entities(entities, "hashtag", "top_hashtags"), on=KEYS, how="left")
        .join(_top_entities(entities, "domain", "top_domains"), on=KEYS, how="left")
        .join(_name_counts(posts, "language", "languages"), on=KEYS, how="left")
        .join(_name_counts(posts, "client", "clients"), on=KEYS, how="left")
        .join(_distinct_names(posts, "handle"), on=KEYS, how="left")
        .join(_distinct_names(posts, "display_name"), on=KEYS, how="left")
        .with_columns(
            pl.col("top_hashtags").fill_null(empty_strs),
            pl.col("top_domains").fill_null(empty_strs),
            pl.col("languages").fill_null(empty_names),
            pl.col("clients").fill_null(empty_names),
            pl.col("handles").fill_null(empty_strs),
            pl.col("display_names").fill_null(empty_strs),
        )
        .select([pl.col(c).cast(t) for c, t in SCHEMA.items()])
        .sort(KEYS)
    )
