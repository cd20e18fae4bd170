"""account_graph: one row per pair of accounts linked by more shared activity than chance.

Grain: one row per linked pair; key (account_a, account_b) with account_a < account_b.

Counts are not evidence: two organic users who retweet the same viral tweet share a target, and
two busy accounts share more targets than two quiet ones. So we compare what a pair shares with
what chance gives it and score the excess as a Poisson surprise ``S = -log10 P(X >= shared)``.

The unit of evidence is a *target-day*: a target the pair acted on within the behaviour's window,
counted once per day it happened. A campaign pushes the same few hashtags day after day; counted
as distinct targets per month, 30 bursts on one tag would weigh the same as one chance meeting
on it, while every day the pair meets on the tag again is another coincidence chance must
explain. (Windows are minutes to an hour: a pair's meetings on a target in one day count once.)

Null: per behaviour, period and *popularity stratum* of the targets (accounts acting on a
target in the period: [2,4), [4,16), ..., 256+), the stratum's co-occurrence mass
``sum_t k_t (k_t - 1)`` is spread over pairs by the configuration model (``d_a * d_b / M**2``
with ``d`` an account's events, its target uses: busy accounts meet more often) with a floor at
the uniform model (``1 / (N (N - 1))``: a viral wave sweeps up quiet accounts as often as busy
ones). The mass is read from the pairs themselves, so it follows the co-activity stage's windows
and caps. Testing strata apart keeps the many expected collisions on viral tweets from hiding an
excess of shared rare targets, and a pair's expectation sums over every period in which both
were active, so a pair is not cherry-picked into the one month it met.

Co-activity that reached a pair through a retweet (a link or hashtag the retweet carries) is
amplification, not two accounts acting alike: ``sql/detect/shared_by_popularity.sql`` counts it
under ``<behavior>:echo``, which has its own null and a lower weight. Two retweets of the same
post are one act, scored once as ``co_retweet``: the links and hashtags they carry are not
counted again (``sql/detect/echo_events.sql``).

Behaviours combine as a weighted sum of surprises (weights in the settings). Non-content traces
(a rare client app, a creation-day batch) add a small fixed surprise between accounts that
content already put in the graph; they never create a node on their own.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from scipy import special

from sockpuppet.detect.schemas import schema
from sockpuppet.settings import Settings

_LAMBDA_FLOOR = 1e-6  # no pair is impossible: caps one shared target at 6 (-log10 1e-6)
_LN10 = math.log(10.0)

EDGE_SCHEMA = schema({
    "account_a": pl.String,
    "account_b": pl.String,
    "weight": pl.Float64,
    "content_surprise": pl.Float64,
    "top_surprise": pl.Float64,
    "support_surprise": pl.Float64,
    "shared_targets": pl.Int64,
    "behaviors": pl.List(pl.String),
    "supports": pl.List(pl.String),
})


def poisson_surprise(observed: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """-log10 P(X >= observed) for X ~ Poisson(lam), exact where representable.

    Deep tails underflow to 0 in double precision; there the bound
    ``P(X >= k) <= pmf(k) / (1 - lam / (k + 1))`` (tight for k well above lam) is used in logs.
    """
    k = np.asarray(observed, dtype=float)
    lam = np.maximum(np.asarray(lam, dtype=float), _LAMBDA_FLOOR)
    out = np.zeros_like(k)
    pos = k > 0
    if not pos.any():
        return out
    kp, lp = k[pos], lam[pos]
    p = special.pdtrc(kp - 1.0, lp)
    with np.errstate(divide="ignore", invalid="ignore"):
        exact = -np.log10(p)
        ln_pmf = kp * np.log(lp) - lp - special.gammaln(kp + 1.0)
        ratio = np.clip(lp / (kp + 1.0), 0.0, 1.0 - 1e-12)
        bound = -(ln_pmf - np.log1p(-ratio)) / _LN10
    out[pos] = np.where(p > 1e-280, exact, bound)
    return np.maximum(out, 0.0)


def _surprise_expr(observed: str, lam: str) -> pl.Expr:
    return pl.struct(observed, lam).map_batches(
        lambda s: pl.Series(
            poisson_surprise(
                s.struct.field(observed).to_numpy(), s.struct.field(lam).to_numpy()
            )
        ),
        return_dtype=pl.Float64,
    )


def base_behavior(behavior: pl.Expr) -> pl.Expr:
    """'co_url:echo' -> 'co_url' (echoes are re-shares of a partner's own post)."""
    return behavior.str.split(":").list.first()


def _stratum_weight(settings: Settings) -> pl.Expr:
    weights = settings.detect_stratum_weights
    if not weights:
        return pl.lit(1.0)
    index = pl.col("stratum").clip(0, len(weights) - 1)
    return pl.lit(pl.Series(weights, dtype=pl.Float64)).gather(index)


def _behavior_weight(settings: Settings) -> pl.Expr:
    weights = settings.detect_behavior_weights
    base = base_behavior(pl.col("behavior")).replace_strict(
        list(weights), list(weights.values()), default=1.0, return_dtype=pl.Float64
    )
    echo = pl.col("behavior").str.ends_with(":echo")
    return pl.when(echo).then(base * settings.detect_echo_weight).otherwise(base)


def stratum_of(accounts: pl.Expr, bounds: list[int]) -> pl.Expr:
    """Popularity stratum of a target: the number of ``bounds`` at or below its account count."""
    k = accounts.fill_null(2)
    return pl.sum_horizontal([(k >= b).cast(pl.Int32) for b in bounds]) if bounds else pl.lit(0)


def shared_by_stratum(counts: pl.DataFrame, bounds: list[int]) -> pl.DataFrame:
    """Shared targets (target-days) per pair, behaviour, period and popularity stratum.

    ``counts``: (account_a, account_b, behavior, period, accounts, shared_targets) with
    ``accounts`` the popularity of the targets counted (null: unknown, taken as 2). Without
    popularity (``coactivity_pairs`` alone) pass its rows with accounts null: one stratum.
    """
    return (
        counts.with_columns(stratum_of(pl.col("accounts"), bounds).alias("stratum"))
        .group_by("account_a", "account_b", "behavior", "period", "stratum")
        .agg(pl.col("shared_targets").sum().cast(pl.Int64))
        .sort("account_a", "account_b", "behavior", "period", "stratum")
    )


def pair_period_expectations(
    shared: pl.DataFrame, activity: pl.DataFrame, min_shared: int
) -> pl.DataFrame:
    """Observed and expected shared target-days per candidate pair, behaviour, stratum, period.

    Grain: one row per (account_a, account_b, behavior, stratum, period) in a period in which
    both accounts were active in that behaviour; columns observed, lam. Candidates are pairs
    sharing at least ``min_shared`` targets over everything (the rest cannot pass the edge
    threshold).

    ``shared``: (account_a, account_b, behavior, period, stratum, shared_targets), the shared
    target-days split by target popularity (``shared_by_stratum``); ``activity``:
    (account_id, behavior, period, events), every target use of an account
    (``account_behavior_counts``).

    ``lam = mass_j * max(d_a * d_b / M**2, 1 / (N * (N - 1)))`` with ``d`` the accounts' events
    (target uses: an account that uses a tag on ten days has ten chances to meet on it),
    ``M = sum d`` and ``N`` the active accounts of the behaviour and period, and
    ``mass_j = sum_t k_t (k_t - 1)`` the stratum's co-occurrence mass (read from the pairs, so it
    follows the co-activity stage's windows and caps). The first term is the configuration
    model (busy accounts meet more often); the second, every active account equally likely,
    covers what does not scale with activity: a viral wave sweeps up quiet accounts as often as
    busy ones.
    """
    keys = ["behavior", "period", "stratum"]
    shared = shared.select(
        "account_a", "account_b", "behavior", pl.col("period").cast(pl.Date),
        pl.col("stratum").cast(pl.Int32), pl.col("shared_targets").cast(pl.Float64),
    )
    activity = activity.select(
        "account_id", "behavior", pl.col("period").cast(pl.Date),
        pl.col("events").cast(pl.Float64).alias("d"),
    ).filter(pl.col("d") > 0)
    mass = shared.group_by(keys).agg((2.0 * pl.col("shared_targets").sum()).alias("mass"))
    totals = activity.group_by("behavior", "period").agg(
        pl.col("d").sum().alias("m"), pl.len().cast(pl.Float64).alias("n")
    )
    candidates = (
        shared.group_by("account_a", "account_b")
        .agg(pl.col("shared_targets").sum().alias("total"), pl.col("behavior").unique())
        .filter(pl.col("total") >= min_shared)
        .explode("behavior")
        .select("account_a", "account_b", "behavior",
                base_behavior(pl.col("behavior")).alias("base"))
    )
    # echoes ('co_url:echo') have their own mass but the accounts' activity of the behaviour
    activity = activity.rename({"behavior": "base"})
    totals = totals.rename({"behavior": "base"})
    side_a = activity.rename({"account_id": "account_a", "d": "d_a"})
    side_b = activity.rename({"account_id": "account_b", "d": "d_b"})
    observed = shared.group_by("account_a", "account_b", *keys).agg(
        pl.col("shared_targets").sum().alias("observed")
    )
    chance = pl.max_horizontal(
        pl.col("d_a") * pl.col("d_b") / pl.col("m") ** 2,
        1.0 / pl.max_horizontal(pl.col("n") * (pl.col("n") - 1.0), pl.lit(1.0)),
    )
    return (
        candidates.join(side_a, on=["account_a", "base"])
        .join(side_b, on=["account_b", "base", "period"])
        .join(totals, on=["base", "period"])
        .join(mass, on=["behavior", "period"])
        .join(observed, on=["account_a", "account_b", *keys], how="left")
        .with_columns(
            pl.col("observed").fill_null(0.0),
            (pl.col("mass") * chance).alias("lam"),
        )
        .select("account_a", "account_b", "behavior", "stratum", "period", "observed", "lam")
    )


def content_edges(expectations: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Combine the content surprise per pair: one row per (account_a, account_b).

    Columns content_surprise (sum over behaviours and popularity strata of weight * surprise
    of the counts summed over periods), top_surprise (the strongest behaviour's part),
    shared_targets, behaviors (those scoring at least 1/10 of the pair's surprise, strongest
    first). Only pairs passing the thresholds are kept.
    """
    per_behavior = (
        expectations.group_by("account_a", "account_b", "behavior", "stratum")
        .agg(pl.col("observed").sum(), pl.col("lam").sum())
        .with_columns(_surprise_expr("observed", "lam").alias("surprise"))
        .with_columns(
            (pl.col("surprise") * _behavior_weight(settings) * _stratum_weight(settings))
            .alias("weighted")
        )
    )
    return (
        per_behavior.group_by("account_a", "account_b", "behavior")
        .agg(pl.col("weighted").sum(), pl.col("observed").sum())
        .sort("weighted", "behavior", descending=[True, False])
        .group_by("account_a", "account_b")
        .agg(
            pl.col("weighted").sum().alias("content_surprise"),
            pl.col("weighted").max().alias("top_surprise"),
            pl.col("observed").sum().cast(pl.Int64).alias("shared_targets"),
            pl.col("behavior").filter(pl.col("weighted") >= 0.1 * pl.col("weighted").sum())
            .alias("behaviors"),
        )
        .filter(
            (pl.col("content_surprise") >= settings.detect_min_surprise)
            & (pl.col("top_surprise") >= settings.detect_min_top_surprise)
            & (pl.col("shared_targets") >= settings.detect_min_shared)
        )
        .sort("account_a", "account_b")
    )


def period_edges(
    expectations: pl.DataFrame, edges: pl.DataFrame, settings: Settings
) -> pl.DataFrame:
    """Surprise per linked pair and period (for persona switches).

    Grain: one row per (account_a, account_b, period) of a pair in ``edges`` that shared
    something in the period; column surprise (weighted sum over behaviours). Echoes are left
    out: a persona is what the account itself does, and an old team that keeps re-sharing a
    member who left would otherwise hold it in place.
    """
    return (
        expectations.filter(
            (pl.col("observed") > 0) & ~pl.col("behavior").str.ends_with(":echo")
        )
        .join(edges.select("account_a", "account_b"), on=["account_a", "account_b"], how="semi")
        .with_columns(
            (_surprise_expr("observed", "lam") * _behavior_weight(settings)).alias("surprise")
        )
        .group_by("account_a", "account_b", "period")
        .agg(pl.col("surprise").sum())
        .sort("account_a", "account_b", "period")
    )


def _pairs_within(groups: pl.DataFrame, key: str) -> pl.DataFrame:
    """All account pairs (a < b) sharing a value of ``key``."""
    left = groups.select("account_id", key).rename({"account_id": "account_a"})
    right = groups.select("account_id", key).rename({"account_id": "account_b"})
    return left.join(right, on=key).filter(pl.col("account_a") < pl.col("account_b"))


def support_edges(traces: pl.DataFrame, nodes: pl.Series, settings: Settings) -> pl.DataFrame:
    """Pairs of graph nodes sharing a rare client app or a creation-day batch.

    ``traces``: (account_id, client, created_on). Grain: one row per (account_a, account_b);
    columns support_surprise (``detect_support_surprise`` per shared trace), supports (which).
    A client counts when at most ``detect_client_max_accounts`` accounts of the whole archive use
    it; a creation day when at least ``detect_batch_min`` accounts were created on it.
    """
    empty = pl.DataFrame(
        schema={"account_a": pl.String, "account_b": pl.String,
                "support_surprise": pl.Float64, "supports": pl.List(pl.String)}
    )
    if traces.is_empty() or nodes.is_empty():
        return empty
    rare_client = (
        traces.filter(pl.col("client").is_not_null())
        .filter(pl.len().over("client") <= settings.detect_client_max_accounts)
        .filter(pl.col("account_id").is_in(nodes.implode()))
    )
    batch = (
        traces.filter(pl.col("created_on").is_not_null())
        .filter(pl.len().over("created_on") >= settings.detect_batch_min)
        .filter(pl.col("account_id").is_in(nodes.implode()))
    )
    found = pl.concat(
        [
            _pairs_within(rare_client, "client").select(
                "account_a", "account_b", pl.lit("client").alias("trace")
            ),
            _pairs_within(batch, "created_on").select(
                "account_a", "account_b", pl.lit("creation_batch").alias("trace")
            ),
        ]
    )
    if found.is_empty():
        return empty
    return (
        found.group_by("account_a", "account_b")
        .agg(pl.col("trace").unique().sort().alias("supports"))
        .with_columns(
            (pl.col("supports").list.len() * settings.detect_support_surprise)
            .cast(pl.Float64)
            .alias("support_surprise")
        )
        .select("account_a", "account_b", "support_surprise", "supports")
    )


def account_graph(content: pl.DataFrame, support: pl.DataFrame) -> pl.DataFrame:
    """Content edges plus support edges among content nodes; weight = the sum of both."""
    edges = content.join(support, on=["account_a", "account_b"], how="full", coalesce=True)
    return (
        edges.with_columns(
            pl.col("content_surprise").fill_null(0.0),
            pl.col("support_surprise").fill_null(0.0),
            pl.col("top_surprise").fill_null(0.0),
            pl.col("shared_targets").fill_null(0),
            pl.col("behaviors").fill_null([]),
            pl.col("supports").fill_null([]),
        )
        .with_columns((pl.col("content_surprise") + pl.col("support_surprise")).alias("weight"))
        .select(list(EDGE_SCHEMA))
        .cast(EDGE_SCHEMA)
        .sort("account_a", "account_b")
    )
