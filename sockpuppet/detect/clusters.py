"""clusters: one row per operator cluster; key cluster_id.

Columns: size, density (share of member pairs linked in ``account_graph``), behaviors that bind
it (behaviours named on at least a quarter of its internal edges, most frequent first), active
span of its internal co-activity (first_at, last_at), top shared targets, hashtags and domains
(by number of members using them), same_batch_share (members created on a day another member
was created), shared clients (client apps at least two members use that are rare in the archive
or used by most members, most exclusive first), releases its members came
from, related clusters (sharing a rare client or a creation batch: possibly the same operator),
a one-line description and the status versus the previous run.
"""

from __future__ import annotations

import polars as pl

from sockpuppet.detect.schemas import schema

CLUSTER_SCHEMA = schema({
    "cluster_id": pl.String,
    "size": pl.Int64,
    "density": pl.Float64,
    "behaviors": pl.List(pl.String),
    "first_at": pl.Datetime("us"),
    "last_at": pl.Datetime("us"),
    "top_targets": pl.List(pl.String),
    "top_hashtags": pl.List(pl.String),
    "top_domains": pl.List(pl.String),
    "same_batch_share": pl.Float64,
    "shared_clients": pl.List(pl.String),
    "releases": pl.List(pl.String),
    "related_clusters": pl.List(pl.String),
    "description": pl.String,
    "status": pl.String,
})
_TOP = 5
_BEHAVIOR_WORDS = {
    "co_retweet": "co-retweeting",
    "co_reply": "co-replying",
    "co_url": "sharing the same links",
    "co_text": "posting identical text",
    "co_hashtag": "pushing the same hashtags",
    "co_burst": "posting in synchronised bursts",
}


def _intra(edges: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    ma = members.select(pl.col("account_id").alias("account_a"), "cluster_id")
    mb = members.select(pl.col("account_id").alias("account_b"), pl.col("cluster_id").alias("cb"))
    return edges.join(ma, on="account_a").join(mb, on="account_b")


def _top_per_cluster(frame: pl.DataFrame, value: str, name: str) -> pl.DataFrame:
    """Top values by members using them (then events, then value), at least two members."""
    return (
        frame.filter(pl.col("accounts") >= 2)
        .sort(["cluster_id", "accounts", "events", value], descending=[False, True, True, False])
        .group_by("cluster_id", maintain_order=True)
        .agg(pl.col(value).head(_TOP).alias(name))
    )


_ECHO_WORDS = {
    "co_url": "re-sharing the same links",
    "co_hashtag": "re-sharing the same hashtags",
    "co_text": "re-sharing the same texts",
}


def behavior_words(behavior: str) -> str:
    base, _, echo = behavior.partition(":")
    if echo:
        return _ECHO_WORDS.get(base, f"re-sharing ({base})")
    return _BEHAVIOR_WORDS.get(base, base)


def describe(row: dict) -> str:
    """One line a reader understands without the other columns."""
    words = list(dict.fromkeys(behavior_words(b) for b in row["behaviors"]))
    what = " and ".join(words[:2]) or "co-active"
    text = f"{row['size']} accounts {what}"
    if row["first_at"] is not None and row["last_at"] is not None:
        text += f", {row['first_at']:%Y-%m-%d} to {row['last_at']:%Y-%m-%d}"
    if row["top_hashtags"]:
        text += "; " + " ".join("#" + t for t in row["top_hashtags"][:3])
    if row["same_batch_share"] and row["same_batch_share"] >= 0.5:
        text += f"; {row['same_batch_share']:.0%} created in batches"
    if row["shared_clients"]:
        text += f"; client {row['shared_clients'][0]}"
    if row["releases"]:
        text += f"; from {', '.join(row['releases'][:3])}"
    return text


def clusters(
    members: pl.DataFrame,
    statuses: pl.DataFrame,
    edges: pl.DataFrame,
    pairs: pl.DataFrame,
    entities: pl.DataFrame,
    clients: pl.DataFrame,
    releases: pl.DataFrame,
    created: pl.DataFrame,
    evidence: pl.DataFrame,
    client_max_accounts: int = 50,
) -> pl.DataFrame:
    """Summarise each cluster.

    ``members`` (account_id, cluster_id); ``statuses`` (cluster_id, status); ``edges`` the
    account graph; ``pairs`` coactivity_pairs; ``entities`` (cluster_id, entity_type, value,
    accounts, events); ``clients`` (cluster_id, client, accounts, events, all_accounts);
    ``releases``
    (cluster_id, release); ``created`` (account_id, created_on); ``evidence`` cluster_evidence.
    """
    if members.is_empty():
        return pl.DataFrame(schema=CLUSTER_SCHEMA)
    base = members.group_by("cluster_id").agg(pl.len().cast(pl.Int64).alias("size"))
    intra = _intra(edges, members)
    same = intra.filter(pl.col("cluster_id") == pl.col("cb"))
    n_intra = same.group_by("cluster_id").agg(pl.len().alias("links"))
    behaviors = (
        same.filter(pl.col("content_surprise") > 0)
        .explode("behaviors")
        .drop_nulls("behaviors")
        .group_by("cluster_id", "behaviors")
        .agg(pl.len().alias("k"))
        .join(n_intra, on="cluster_id")
        .filter(pl.col("k") >= 0.25 * pl.col("links"))
        .sort(["cluster_id", "k", "behaviors"], descending=[False, True, False])
        .group_by("cluster_id", maintain_order=True)
        .agg(pl.col("behaviors"))
    )
    related = (
        intra.filter((pl.col("cluster_id") != pl.col("cb")) & (pl.col("support_surprise") > 0))
        .select(
            pl.concat_list(
                pl.struct(pl.col("cluster_id").alias("c"), pl.col("cb").alias("o")),
                pl.struct(pl.col("cb").alias("c"), pl.col("cluster_id").alias("o")),
            ).alias("both")
        )
        .explode("both")
        .unnest("both")
        .unique()
        .sort("c", "o")
        .group_by("c", maintain_order=True)
        .agg(pl.col("o").alias("related_clusters"))
        .rename({"c": "cluster_id"})
    )
    pa = members.select(pl.col("account_id").alias("account_a"), "cluster_id")
    pb = members.select(pl.col("account_id").alias("account_b"), pl.col("cluster_id").alias("cb"))
    span = (
        pairs.join(pa, on="account_a")
        .join(pb, on="account_b")
        .filter(pl.col("cluster_id") == pl.col("cb"))
        .join(same.select("account_a", "account_b"), on=["account_a", "account_b"], how="semi")
        .group_by("cluster_id")
        .agg(pl.col("first_at").min(), pl.col("last_at").max())
    )
    targets = (
        evidence.filter(pl.col("behavior") != "co_hashtag")
        .sort("cluster_id", "rank")
        .group_by("cluster_id", maintain_order=True)
        .agg(pl.col("target").unique(maintain_order=True).head(_TOP).alias("top_targets"))
    )
    hashtags = _top_per_cluster(
        entities.filter(pl.col("entity_type") == "hashtag"), "value", "top_hashtags"
    )
    domains = _top_per_cluster(
        entities.filter(pl.col("entity_type") == "domain"), "value", "top_domains"
    )
    # a client is a trace when it is rare in the archive or most members use it
    shared_clients = (
        clients.join(base, on="cluster_id")
        .filter(
            (pl.col("accounts") >= 2)
            & (
                (pl.col("all_accounts") <= client_max_accounts)
                | (pl.col("accounts") >= 0.5 * pl.col("size"))
            )
        )
        .with_columns((pl.col("accounts") / pl.col("all_accounts")).alias("exclusive"))
        .sort(["cluster_id", "exclusive", "accounts", "client"],
              descending=[False, True, True, False])
        .group_by("cluster_id", maintain_order=True)
        .agg(pl.col("client").head(_TOP).alias("shared_clients"))
    )
    batch = (
        members.join(created, on="account_id", how="left")
        .with_columns(
            (
                pl.col("created_on").is_not_null()
                & (pl.len().over("cluster_id", "created_on") >= 2)
            ).alias("in_batch")
        )
        .group_by("cluster_id")
        .agg(pl.col("in_batch").mean().alias("same_batch_share"))
    )
    rel = (
        releases.drop_nulls("release")
        .unique()
        .sort("cluster_id", "release")
        .group_by("cluster_id", maintain_order=True)
        .agg(pl.col("release").alias("releases"))
    )
    out = base.join(n_intra, on="cluster_id", how="left").with_columns(
        (pl.col("links").fill_null(0) / (pl.col("size") * (pl.col("size") - 1) / 2)).alias(
            "density"
        )
    )
    for part in (behaviors, span, targets, hashtags, domains, batch, shared_clients, rel,
                 related, statuses):
        out = out.join(part, on="cluster_id", how="left")
    lists = ["behaviors", "top_targets", "top_hashtags", "top_domains", "shared_clients",
             "releases", "related_clusters"]
    out = out.with_columns(
        [pl.col(c).fill_null([]) for c in lists]
        + [pl.col("status").fill_null("new"), pl.lit(None, pl.String).alias("description")]
    ).select(list(CLUSTER_SCHEMA)).cast(CLUSTER_SCHEMA)
    out = out.with_columns(
        pl.Series("description", [describe(r) for r in out.iter_rows(named=True)], pl.String)
    )
    return out.sort("cluster_id")
