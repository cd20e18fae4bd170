"""``account_profile``: one row per account, from its timeline and the accounts table.

Grain: one row per account; key account_id (every account in ``accounts`` or with a post).
Columns: handles / display_names (every name the archive shows for the id, list of
struct(name, first_seen, last_seen) by first_seen; names only the users file shows have null
dates), created_on, creation_batch_size (accounts created the same day), dominant_client (most
posts, ties by name), silences (gaps between consecutive posts longer than ``silence_days``:
list of struct(start, end, days)), first_post_at, last_post_at, active_span_days, active_days,
posts, category (IRA label).

Built from ``account_timeline`` (one row per account-day) rather than posts: silences longer than
a day are exactly the gaps between one active day's last post and the next one's first post, and
the timeline is ~10x smaller than posts, so the profile stays cheap at any archive size.
"""

from __future__ import annotations

from typing import Any

import polars as pl

NAME_SEEN = pl.List(
    pl.Struct({"name": pl.String, "first_seen": pl.Date, "last_seen": pl.Date})
)
SILENCE = pl.List(
    pl.Struct({"start": pl.Datetime("us"), "end": pl.Datetime("us"), "days": pl.Float64})
)

SCHEMA: dict[str, Any] = {
    "account_id": pl.String,
    "handles": NAME_SEEN,
    "display_names": NAME_SEEN,
    "created_on": pl.Date,
    "creation_batch_size": pl.Int64,
    "dominant_client": pl.String,
    "silences": SILENCE,
    "first_post_at": pl.Datetime("us"),
    "last_post_at": pl.Datetime("us"),
    "active_span_days": pl.Float64,
    "active_days": pl.Int64,
    "posts": pl.Int64,
    "category": pl.String,
}

_DAY_S = 86_400.0


def _names_seen(timeline: pl.LazyFrame, users: pl.LazyFrame, column: str) -> pl.LazyFrame:
    seen = (
        timeline.select("account_id", "day", pl.col(column).alias("name"))
        .explode("name")
        .drop_nulls("name")
        .group_by("account_id", "name")
        .agg(first_seen=pl.col("day").min(), last_seen=pl.col("day").max())
    )
    only_users = (
        users.select("account_id", pl.col(column).alias("name"))
        .explode("name")
        .drop_nulls("name")
        .join(seen, on=["account_id", "name"], how="anti")
        .with_columns(first_seen=pl.lit(None, pl.Date), last_seen=pl.lit(None, pl.Date))
    )
    return (
        pl.concat([seen, only_users])
        .group_by("account_id")
        .agg(
            pl.struct("name", "first_seen", "last_seen")
            .sort_by(["first_seen", "name"], nulls_last=True)
            .alias(column)
        )
    )


def account_profile(
    timeline: pl.LazyFrame, accounts: pl.LazyFrame, silence_days: float = 30.0
) -> pl.LazyFrame:
    """``account_timeline`` + live ``accounts`` rows -> one row per account."""
    users = (
        accounts.sort("load_id")
        .group_by("account_id")
        .agg(
            created_on=pl.col("created_on").drop_nulls().last(),
            category=pl.col("category").drop_nulls().last(),
            handles=pl.col("handle").drop_nulls().unique(),
            display_names=pl.col("display_name").drop_nulls().unique(),
        )
    )
    batches = (
        users.drop_nulls("created_on")
        .group_by("created_on")
        .agg(creation_batch_size=pl.len().cast(pl.Int64))
    )
    activity = timeline.group_by("account_id").agg(
        first_post_at=pl.col("first_at").min(),
        last_post_at=pl.col("last_at").max(),
        active_days=pl.len().cast(pl.Int64),
        posts=pl.col("posts").sum().cast(pl.Int64),
    )
    start = pl.col("last_at").shift(1).over("account_id", order_by="day")
    gap_days = (pl.col("first_at") - pl.col("start")).dt.total_microseconds() / 1e6 / _DAY_S
    silences = (
        timeline.select("account_id", "day", "first_at", start.alias("start"))
        .with_columns(days=gap_days)
        .filter(pl.col("days") > silence_days)
        .group_by("account_id")
        .agg(
            pl.struct("start", pl.col("first_at").alias("end"), "days")
            .sort_by("start")
            .alias("silences")
        )
    )
    dominant = (
        timeline.select("account_id", "clients")
        .explode("clients")
        .unnest("clients")
        .drop_nulls("name")
        .group_by("account_id", "name")
        .agg(pl.col("posts").sum())
        .group_by("account_id")
        .agg(
            dominant_client=pl.col("name")
            .sort_by(["posts", "name"], descending=[True, False])
            .first()
        )
    )
    ids = pl.concat(
        [users.select("account_id"), timeline.select("account_id")]
    ).unique()
    span = (pl.col("last_post_at") - pl.col("first_post_at")).dt.total_microseconds() / 1e6
    return (
        ids.join(users.select("account_id", "created_on", "category"), on="account_id",
                 how="left")
        .join(batches, on="created_on", how="left")
        .join(activity, on="account_id", how="left")
        .join(silences, on="account_id", how="left")
        .join(dominant, on="account_id", how="left")
        .join(_names_seen(timeline, users, "handles"), on="account_id", how="left")
        .join(_names_seen(timeline, users, "display_names"), on="account_id", how="left")
        .with_columns(
            active_span_days=span / _DAY_S,
            silences=pl.col("silences").fill_null(pl.lit([], dtype=SILENCE)),
            posts=pl.col("posts").fill_null(0),
            active_days=pl.col("active_days").fill_null(0),
            handles=pl.col("handles").fill_null(pl.lit([], dtype=NAME_SEEN)),
            display_names=pl.col("display_names").fill_null(pl.lit([], dtype=NAME_SEEN)),
        )
        .select([pl.col(c).cast(t) for c, t in SCHEMA.items()])
        .sort("account_id")
    )
