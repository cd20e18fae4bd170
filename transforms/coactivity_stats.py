"""``coactivity_stats``: each behaviour's input and output sizes per period, and the cap's effect.

Grain: one row per (behavior, period); key the same. events / accounts / targets / active_minutes
(distinct minutes with an event; for co_burst the denominator of its expected count) are of the
period's own events; evidence_rows and pairs count ``coactivity_events`` / ``coactivity_pairs``
rows; weak_pairs / weak_events the pair rows (and their co-actions) not stored because they fell
below ``pair_min_events`` / ``pair_min_weight``; capped = events whose in-window predecessors
exceeded ``coactivity_max_k`` (0: the pairs are exactly all in-window pairs).
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from transforms.periods import period_of

SCHEMA = {
    "behavior": pl.String,
    "period": pl.Date,
    "events": pl.Int64,
    "accounts": pl.Int64,
    "targets": pl.Int64,
    "active_minutes": pl.Int64,
    "evidence_rows": pl.Int64,
    "pairs": pl.Int64,
    "weak_pairs": pl.Int64,
    "weak_events": pl.Int64,
    "capped": pl.Int64,
}


def coactivity_stats(
    behavior: str,
    events: pl.LazyFrame,
    evidence: pl.LazyFrame,
    pairs: pl.LazyFrame,
    capped_t: pl.Series,
    period: str,
    keep_from: datetime | None = None,
    weak: pl.LazyFrame | None = None,
    inputs: pl.LazyFrame | None = None,
) -> pl.LazyFrame:
    """Stats of one behaviour per period.

    ``inputs``: the events / accounts / targets / active_minutes columns per period when the
    caller counted them already (the build does, from integer codes); else from ``events``.
    """
    p = period_of(pl.col("t"), period).alias("period")
    if inputs is None:
        owned = events if keep_from is None else events.filter(pl.col("t") >= keep_from)
        inputs = owned.group_by(p).agg(
            events=pl.len(),
            accounts=pl.col("account_id").n_unique(),
            targets=pl.col("target").n_unique(),
            active_minutes=pl.col("t").dt.truncate("1m").n_unique(),
        )
    ev = evidence.group_by("period").agg(evidence_rows=pl.len())
    pr = pairs.group_by("period").agg(pairs=pl.len())
    cap = pl.LazyFrame({"t": capped_t}).group_by(p).agg(capped=pl.len())
    zero = pl.lit(0, pl.Int64)
    if weak is None:
        weak = pl.LazyFrame(schema={"period": pl.Date, "weak_pairs": pl.Int64,
                                    "weak_events": pl.Int64})
    return (
        inputs.join(ev, on="period", how="left")
        .join(pr, on="period", how="left")
        .join(cap, on="period", how="left")
        .join(weak, on="period", how="left")
        .with_columns(
            behavior=pl.lit(behavior),
            evidence_rows=pl.col("evidence_rows").fill_null(zero),
            pairs=pl.col("pairs").fill_null(zero),
            weak_pairs=pl.col("weak_pairs").fill_null(zero),
            weak_events=pl.col("weak_events").fill_null(zero),
            capped=pl.col("capped").fill_null(zero),
        )
        .select([pl.col(c).cast(t) for c, t in SCHEMA.items()])
        .sort("period")
    )
