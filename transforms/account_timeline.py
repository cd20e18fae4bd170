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

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

from transforms.codes import CoreFrames, encode_core

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
_KEYS = ["acc", "day"]  # the working keys: account code (transforms.codes) and day


# Every account-day is one integer group ``gid`` (its position among the sorted distinct
# (account code, day) keys, so gid order is the output order). Counts are numpy bincounts over
# gid; lists are built by sorting the small distinct frame once and imploding in order (sorting
# or de-duplicating inside `agg` is evaluated group by group, several times slower at scale), then
# gathered into gid order. No join touches the wide frame: a left join copies every column it
# carries, and list columns make that the costliest step.


def _name_counts(posts: pl.LazyFrame, column: str, alias: str) -> pl.LazyFrame:
    return (
        posts.filter(pl.col(column).is_not_null() & (pl.col(column) != ""))
        .group_by("gid", pl.col(column).alias("name"))
        .agg(posts=pl.len().cast(pl.Int64))
        .sort(["gid", "posts", "name"], descending=[False, True, False])
        .group_by("gid", maintain_order=True)
        .agg(pl.struct("name", "posts").alias(alias))
    )


def _distinct_names(posts: pl.LazyFrame, column: str) -> pl.LazyFrame:
    return (
        posts.select("gid", column)
        .drop_nulls(column)
        .unique()
        .sort(["gid", column])
        .group_by("gid", maintain_order=True)
        .agg(pl.col(column).alias(f"{column}s"))
    )


def _top_entities(entities: pl.LazyFrame, entity_type: str, alias: str) -> pl.LazyFrame:
    return (
        entities.filter(pl.col("entity_type") == entity_type)
        .group_by("gid", "value")
        .agg(n=pl.len())
        .sort(["gid", "n", "value"], descending=[False, True, False])
        .group_by("gid", maintain_order=True)
        .agg(pl.col("value").head(TOP_N).alias(alias))
    )


def _aligned(sub: pl.DataFrame, column: str, groups: int, empty: pl.Expr) -> pl.Series:
    """``sub``'s (gid, list) rows as a column in gid order; groups without a row get ``empty``."""
    at = np.full(groups, -1, dtype=np.int64)
    at[sub.get_column("gid").to_numpy()] = np.arange(sub.height)
    idx = pl.Series("i", at)
    gathered = sub.get_column(column).gather(idx.set(idx < 0, None))
    return gathered.to_frame().select(pl.col(column).fill_null(empty)).to_series()


def account_timeline(
    posts: pl.LazyFrame, entities: pl.LazyFrame, keep_from: datetime | None = None
) -> pl.LazyFrame:
    """Live posts and their entities -> one row per (account_id, day) (only days >= keep_from)."""
    core = encode_core(posts.collect(), entities.collect())
    return timeline(core, keep_from).lazy()


def timeline_chunks(
    core: CoreFrames, keep_from: datetime | None = None, max_posts: int = 1_000_000
) -> Iterator[pl.DataFrame]:
    """``timeline`` in pieces of consecutive accounts, ~``max_posts`` posts each at most.

    An account-day needs only its account's posts, so memory stays bounded at scale.
    """
    posts, entities = core.posts, core.entities
    if keep_from is not None:
        posts = posts.filter(pl.col("posted_at") >= keep_from)
        entities = entities.filter(pl.col("posted_at") >= keep_from)
    if posts.height <= max_posts:
        yield timeline(CoreFrames(posts, entities, core.accounts))
        return
    per_account = np.bincount(posts.get_column("acc").to_numpy(), minlength=core.accounts.len())
    ends = np.cumsum(per_account)
    lo = 0
    while lo < per_account.size:
        base = ends[lo - 1] if lo else 0
        hi = max(int(np.searchsorted(ends, base + max_posts, side="right")), lo + 1)
        in_range = pl.col("acc").is_between(lo, hi - 1)
        yield timeline(CoreFrames(posts.filter(in_range), entities.filter(in_range),
                                  core.accounts))
        lo = hi


def timeline(core: CoreFrames, keep_from: datetime | None = None) -> pl.DataFrame:
    """``account_timeline`` of account-coded frames (``transforms.codes.encode_core``)."""
    posts, entities = core.posts, core.entities
    if keep_from is not None:
        posts = posts.filter(pl.col("posted_at") >= keep_from)
        entities = entities.filter(pl.col("posted_at") >= keep_from)
    if posts.height == 0:
        return pl.DataFrame(schema=SCHEMA)
    entities = entities.filter(pl.col("entity_type").is_in(["hashtag", "domain"]))
    days = posts.get_column("posted_at").cast(pl.Date).cast(pl.Int64)
    d0, span = int(days.min()), int(days.max()) - int(days.min()) + 1  # type: ignore[arg-type]

    def key(frame: pl.DataFrame) -> pl.Series:
        day = frame.get_column("posted_at").cast(pl.Date).cast(pl.Int64) - d0
        return frame.get_column("acc").cast(pl.UInt64) * span + day.cast(pl.UInt64)

    keys = key(posts).unique().sort()  # (account code, day) order = (account_id, day) order
    groups = keys.len()
    posts = posts.with_columns(gid=keys.search_sorted(key(posts)).cast(pl.UInt32))
    # An entity of an account-day without a live post has no row (its key is not in `keys`).
    e_key = key(entities)
    e_gid = keys.search_sorted(e_key).clip(upper_bound=max(groups - 1, 0))
    entities = entities.with_columns(gid=e_gid.cast(pl.UInt32)).filter(
        keys.gather(e_gid) == e_key
    )
    gid = posts.get_column("gid").to_numpy()

    def count(mask: pl.Series | None = None) -> pl.Series:
        g = gid if mask is None else gid[mask.to_numpy()]
        return pl.Series(np.bincount(g, minlength=groups).astype(np.int64))

    kind = posts.get_column("kind")
    hour = posts.get_column("posted_at").dt.hour().to_numpy().astype(np.int64)
    hours = np.bincount(gid.astype(np.int64) * 24 + hour, minlength=groups * 24)
    lazy = posts.lazy()
    subs = pl.collect_all(
        [
            lazy.group_by("gid")
            .agg(
                distinct_targets=pl.col("target_key").drop_nulls().n_unique().cast(pl.Int64),
                active_minutes=pl.col("posted_at").dt.truncate("1m").n_unique().cast(pl.Int64),
                first_at=pl.col("posted_at").min(),
                last_at=pl.col("posted_at").max(),
            )
            .sort("gid"),  # every gid has posts: row i is gid i
            _top_entities(entities.lazy(), "hashtag", "top_hashtags"),
            _top_entities(entities.lazy(), "domain", "top_domains"),
            _name_counts(lazy, "language", "languages"),
            _name_counts(lazy, "client", "clients"),
            _distinct_names(lazy, "handle"),
            _distinct_names(lazy, "display_name"),
        ],
        engine="in-memory",  # small frames: the streaming engine's overhead dominates
    )
    base, lists = subs[0], subs[1:]
    key_values = keys.to_numpy()
    empty_names = pl.lit([], dtype=NAME_COUNT)
    empty_strs = pl.lit([], dtype=pl.List(pl.String))
    out = base.with_columns(
        core.accounts.gather(pl.Series(key_values // span)).alias("account_id"),
        pl.Series("day", (key_values % span).astype(np.int64) + d0).cast(pl.Int32).cast(pl.Date),
        posts=count(),
        originals=count(kind == "post"),
        retweets=count(kind == "retweet"),
        replies=count(kind == "reply"),
        quotes=count(kind == "quote"),
        hour_profile=pl.Series(hours.reshape(groups, 24).astype(np.int64)).arr.to_list(),
        **{
            name: _aligned(sub, name, groups, empty_names if "language" in name
                           or "client" in name else empty_strs)
            for sub, name in zip(
                lists,
                ["top_hashtags", "top_domains", "languages", "clients", "handles",
                 "display_names"],
                strict=True,
            )
        },
    )
    return out.select([pl.col(c).cast(t) for c, t in SCHEMA.items()])
