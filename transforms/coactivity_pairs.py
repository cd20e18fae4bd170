"""``coactivity_pairs``: how much two accounts did the same thing, per behaviour and period.

Grain: one row per (account_a, account_b, behavior, period), ``account_a < account_b``; key the
same. Aggregates ``coactivity_events`` (whose size is bounded by events x max_k, see
``transforms.sweep``): shared_targets (distinct), shared_events (event pairs), first_at / last_at
(earliest / latest event of any of its co-actions), median_lag_s, and
``weight = sum over shared targets of 1 / log2(1 + accounts)`` where accounts is the target's
popularity in the period (``target_popularity``; floor 2, the pair itself), so a viral tweet or a
trending hashtag adds ~0.06 where a target only the two accounts touched adds 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

SCHEMA = {
    "account_a": pl.String,
    "account_b": pl.String,
    "behavior": pl.String,
    "period": pl.Date,
    "shared_targets": pl.Int64,
    "shared_events": pl.Int64,
    "first_at": pl.Datetime("us"),
    "last_at": pl.Datetime("us"),
    "median_lag_s": pl.Float64,
    "weight": pl.Float64,
}

KEYS = ["account_a", "account_b", "behavior", "period"]


def coactivity_pairs(
    events: pl.LazyFrame, popularity: pl.LazyFrame, keys: Sequence[str] = KEYS
) -> pl.LazyFrame:
    """Aggregate co-action rows (``coactivity_events`` columns) to one row per ``keys``.

    ``keys`` may omit ``behavior`` when the frame holds one behaviour (the build passes integer
    account codes and no behaviour column: grouping u32s is several times faster than ids).
    """
    keys = list(keys)
    on = [k for k in keys if k not in ("account_a", "account_b")] + ["target"]
    accounts = pl.max_horizontal(pl.col("accounts").fill_null(2), pl.lit(2)).cast(pl.Float64)
    target_weight = popularity.select(*on, _w=1.0 / (1.0 + accounts).log(2))
    # One pass: each event carries its target's weight divided by the pair's events on that
    # target, so summing over events sums each shared target's weight once.
    per_event = pl.col("_w").fill_null(1.0 / math.log2(3)) / pl.len().over(*keys, "target")
    out = (
        events.join(target_weight, on=on, how="left")
        .with_columns(_w=per_event)
        .group_by(keys)
        .agg(
            shared_targets=pl.col("target").n_unique().cast(pl.Int64),
            shared_events=pl.len().cast(pl.Int64),
            first_at=pl.min_horizontal("a_at", "b_at").min(),
            last_at=pl.max_horizontal("a_at", "b_at").max(),
            median_lag_s=pl.col("lag_s").median(),
            weight=pl.col("_w").sum(),
        )
    )
    return out.select([c for c in SCHEMA if c in out.collect_schema()]).sort(keys)
