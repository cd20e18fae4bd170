"""persona_switches: accounts whose co-activity partners move from one cluster to another.

Grain: one row per switch; key (account_id, switch_at). Columns from_cluster, to_cluster,
partners_before/after, hashtags_before/after, silence_days, handles_before/after, evidence.

Per period, an account's affinity to a cluster is the surprise of its edges to that cluster's
members in that period (``account_graph.period_edges``). A cluster dominates a period when it
holds ``switch_dominance`` of the account's affinity and the affinity is at least
``switch_min_affinity``. A switch is a run of periods dominated by one cluster followed by a
run dominated by another, each at least ``switch_min_periods`` long, after which the account
never returns to the cluster it left and had never been with the new one (flapping between two
neighbours is not a switch). The day
is refined from
the account's own co-actions ("touches") with both clusters' members: the split that best
separates old-cluster touches (before) from new-cluster touches (after); switch_at is the day
of the first new-cluster touch after it.

Directionality: the old team retweeting the switcher's tweets after the switch makes the old
team co-retweet *the switcher's posts as a target*; it is not a co-action of the switcher, so
it does not hold the switcher's affinity to the old team.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from sockpuppet.detect.schemas import schema
from sockpuppet.settings import Settings

CANDIDATE_SCHEMA = schema({
    "account_id": pl.String,
    "from_cluster": pl.String,
    "to_cluster": pl.String,
    "first_from_period": pl.Date,
    "last_from_period": pl.Date,
    "first_to_period": pl.Date,
    "last_to_period": pl.Date,
    "partners_before": pl.List(pl.String),
    "partners_after": pl.List(pl.String),
})

SWITCH_SCHEMA = schema({
    "account_id": pl.String,
    "switch_at": pl.Date,
    "from_cluster": pl.String,
    "to_cluster": pl.String,
    "partners_before": pl.List(pl.String),
    "partners_after": pl.List(pl.String),
    "hashtags_before": pl.List(pl.String),
    "hashtags_after": pl.List(pl.String),
    "silence_days": pl.Float64,
    "handles_before": pl.List(pl.String),
    "handles_after": pl.List(pl.String),
    "evidence": pl.String,
})

_PARTNERS_SHOWN = 5


def directed(edges: pl.DataFrame, *cols: str) -> pl.DataFrame:
    """Both directions of undirected pair rows: (account_id, partner, *cols)."""
    return pl.concat(
        [
            edges.select(pl.col("account_a").alias("account_id"),
                         pl.col("account_b").alias("partner"), *cols),
            edges.select(pl.col("account_b").alias("account_id"),
                         pl.col("account_a").alias("partner"), *cols),
        ]
    )


def affinities(period_edges: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """(account_id, period, cluster_id, affinity, partners) from per-period edge surprise."""
    partner_cluster = membership.select(pl.col("account_id").alias("partner"), "cluster_id")
    return (
        directed(period_edges, "period", "surprise")
        .join(partner_cluster, on="partner")
        .sort("surprise", descending=True)
        .group_by("account_id", "period", "cluster_id")
        .agg(pl.col("surprise").sum().alias("affinity"), pl.col("partner").alias("partners"))
    )


def dominant_periods(affinity: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Periods in which one cluster dominates an account: (account_id, period, cluster_id, ...)."""
    return (
        affinity.with_columns(pl.col("affinity").sum().over("account_id", "period").alias("total"))
        .filter(
            (pl.col("total") >= settings.switch_min_affinity)
            & (pl.col("affinity") >= settings.switch_dominance * pl.col("total"))
        )
        .sort("account_id", "period")
    )


def switch_candidates(
    period_edges: pl.DataFrame, membership: pl.DataFrame, settings: Settings
) -> pl.DataFrame:
    """Find runs of dominated periods that change cluster: one row per switch (by period)."""
    dom = dominant_periods(affinities(period_edges, membership), settings)
    if dom.is_empty():
        return pl.DataFrame(schema=CANDIDATE_SCHEMA)
    runs = (
        dom.with_columns(
            (pl.col("cluster_id") != pl.col("cluster_id").shift(1).over("account_id"))
            .fill_null(True)
            .cum_sum()
            .over("account_id")
            .alias("run")
        )
        .group_by("account_id", "run", "cluster_id")
        .agg(
            pl.len().alias("periods"),
            pl.col("period").min().alias("first_period"),
            pl.col("period").max().alias("last_period"),
            pl.col("partners")
            .list.explode(keep_nulls=False, empty_as_null=False)
            .unique(maintain_order=True)
            .alias("partners"),
        )
        .sort("account_id", "run")
        # "stays changed": the account never returns to a cluster after leaving it, and the
        # cluster it moves to is new to it (A, B, A is flapping, not two switches)
        .with_columns(
            pl.col("run").max().over("account_id", "cluster_id").alias("last_run"),
            pl.col("run").min().over("account_id", "cluster_id").alias("first_run"),
        )
    )
    nxt = runs.with_columns(pl.col("run") - 1).rename(
        {
            "cluster_id": "to_cluster",
            "periods": "to_periods",
            "first_period": "first_to_period",
            "last_period": "last_to_period",
            "partners": "partners_after",
            "last_run": "_to_last_run",
            "first_run": "to_first_run",
        }
    )
    k = settings.switch_min_periods
    return (
        runs.rename(
            {"cluster_id": "from_cluster", "first_period": "first_from_period",
             "last_period": "last_from_period", "partners": "partners_before"}
        )
        .join(nxt, on=["account_id", "run"])
        .filter(
            (pl.col("periods") >= k)
            & (pl.col("to_periods") >= k)
            & (pl.col("last_run") == pl.col("run"))
            & (pl.col("to_first_run") == pl.col("run") + 1)
        )
        .with_columns(
            pl.col("partners_before").list.head(_PARTNERS_SHOWN),
            pl.col("partners_after").list.head(_PARTNERS_SHOWN),
        )
        .select(list(CANDIDATE_SCHEMA))
        .cast(CANDIDATE_SCHEMA)
        .sort("account_id", "first_to_period")
    )


def refine_day(touches: pl.DataFrame, old: str, new: str) -> dt.date | None:
    """Find the first day of new-cluster co-activity after the best old/new split of touches.

    ``touches``: (at, cluster_id) of one account's co-actions with members of ``old``/``new``.
    The split index maximises (#old touches before it + #new touches from it on).
    """
    rows = (
        touches.filter(pl.col("cluster_id").is_in([old, new]))
        .sort("at")
        .select("at", (pl.col("cluster_id") == new).alias("is_new"))
    )
    if rows.is_empty() or not rows["is_new"].any():
        return None
    is_new = rows["is_new"].to_list()
    at = rows["at"].to_list()
    last_new = max(j for j, flag in enumerate(is_new) if flag)
    old_before = 0
    new_after = sum(is_new)
    best, best_i = -1, 0
    for i in range(last_new + 1):  # the split must leave a new-cluster touch after it
        score = old_before + new_after
        if score > best:
            best, best_i = score, i
        old_before += not is_new[i]
        new_after -= is_new[i]
    first_new = next(at[j] for j in range(best_i, len(at)) if is_new[j])
    return first_new.date() if isinstance(first_new, dt.datetime) else first_new


def _top(values: pl.Series, n: int = 5) -> list[str]:
    if values.is_empty():
        return []
    counts = values.value_counts(sort=True, name="n")
    return counts.sort(["n", counts.columns[0]], descending=[True, False])[
        counts.columns[0]
    ].head(n).to_list()


def persona_switches(
    candidates: pl.DataFrame,
    touches: pl.DataFrame,
    posts: pl.DataFrame,
    hashtags: pl.DataFrame,
) -> pl.DataFrame:
    """Switches with evidence.

    ``touches``: (account_id, at, cluster_id) the account's own co-action times with members of
    each cluster; ``posts``: (account_id, posted_at, handle, display_name) of candidate accounts;
    ``hashtags``: (account_id, posted_at, value) of candidate accounts.
    """
    out = []
    for cand in candidates.iter_rows(named=True):
        acc, old, new = cand["account_id"], cand["from_cluster"], cand["to_cluster"]
        # only the touches of the two runs: an account may switch more than once
        window = touches.filter(
            (pl.col("account_id") == acc)
            & (pl.col("at") >= dt.datetime.combine(cand["first_from_period"], dt.time()))
            & (pl.col("at").dt.date() <= cand["last_to_period"] + dt.timedelta(days=31))
        )
        day = refine_day(window, old, new)
        if day is None:
            day = cand["first_to_period"]
        start = dt.datetime.combine(day, dt.time())
        mine = posts.filter(pl.col("account_id") == acc)
        before = mine.filter(pl.col("posted_at") < start)
        after = mine.filter(pl.col("posted_at") >= start)
        silence = None
        if not before.is_empty() and not after.is_empty():
            gap = after["posted_at"].min() - before["posted_at"].max()  # type: ignore[operator]
            silence = gap.total_seconds() / 86400.0  # type: ignore[union-attr]
        tags = hashtags.filter(pl.col("account_id") == acc)
        tags_before = _top(tags.filter(pl.col("posted_at") < start)["value"])
        tags_after = _top(tags.filter(pl.col("posted_at") >= start)["value"])
        handles_before = before["handle"].drop_nulls().unique(maintain_order=True).to_list()
        handles_after = after["handle"].drop_nulls().unique(maintain_order=True).to_list()
        parts = [
            f"left {old} (with {', '.join(cand['partners_before'][:3])}) for {new} "
            f"(with {', '.join(cand['partners_after'][:3])}) on {day.isoformat()}"
        ]
        if silence is not None and silence >= 1:
            parts.append(f"after {silence:.0f} days of silence")
        if tags_before or tags_after:
            parts.append(
                f"hashtags {' '.join('#' + t for t in tags_before[:3]) or '-'} -> "
                f"{' '.join('#' + t for t in tags_after[:3]) or '-'}"
            )
        if handles_before and handles_after and set(handles_before) != set(handles_after):
            parts.append(f"handle @{handles_before[-1]} -> @{handles_after[0]}")
        out.append(
            {
                "account_id": acc,
                "switch_at": day,
                "from_cluster": old,
                "to_cluster": new,
                "partners_before": cand["partners_before"],
                "partners_after": cand["partners_after"],
                "hashtags_before": tags_before,
                "hashtags_after": tags_after,
                "silence_days": silence,
                "handles_before": handles_before,
                "handles_after": handles_after,
                "evidence": "; ".join(parts),
            }
        )
    return pl.DataFrame(out, schema=SWITCH_SCHEMA)
