"""operator_clusters: which accounts act as one operator.

Grain: one row per clustered account; key account_id. Columns cluster (a provisional integer
label here; ``stable_ids`` turns it into the persistent ``cluster_id``) and strength (the share
of the account's edge weight that goes to its own cluster). Accounts in no cluster are absent;
every cluster has at least two members.

Leiden (RB configuration, i.e. modularity with a resolution) on the significance-weighted
``account_graph``. Vertices are sorted account ids and the seed is fixed, so the same graph gives
the same clusters.
"""

from __future__ import annotations

import igraph as ig
import leidenalg
import polars as pl

from sockpuppet.settings import Settings

MEMBERSHIP_SCHEMA = {"account_id": pl.String, "cluster": pl.Int64, "strength": pl.Float64}


def leiden(edges: pl.DataFrame, *, resolution: float, seed: int) -> pl.DataFrame:
    """Leiden communities of the weighted graph: (account_id, community), every vertex."""
    nodes = (
        pl.concat([edges["account_a"], edges["account_b"]]).unique().sort()
        if not edges.is_empty()
        else pl.Series("account_id", [], pl.String)
    )
    if nodes.is_empty():
        return pl.DataFrame(schema={"account_id": pl.String, "community": pl.Int64})
    index = {name: i for i, name in enumerate(nodes.to_list())}
    graph = ig.Graph(
        n=len(index),
        edges=[(index[a], index[b]) for a, b in edges.select("account_a", "account_b").iter_rows()],
        directed=False,
    )
    graph.es["weight"] = edges["weight"].to_list()
    partition = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=resolution,
        n_iterations=-1,  # iterate until no vertex moves: the result no longer depends on order
        seed=seed,
    )
    return pl.DataFrame(
        {"account_id": nodes.to_list(), "community": partition.membership},
        schema={"account_id": pl.String, "community": pl.Int64},
    )


def membership_strength(edges: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """Share of each account's edge weight that stays inside its community."""
    both = pl.concat(
        [
            edges.select(pl.col("account_a").alias("account_id"),
                         pl.col("account_b").alias("partner"), "weight"),
            edges.select(pl.col("account_b").alias("account_id"),
                         pl.col("account_a").alias("partner"), "weight"),
        ]
    )
    own = membership.select("account_id", "community")
    partner = membership.select(pl.col("account_id").alias("partner"),
                                pl.col("community").alias("partner_community"))
    return (
        both.join(own, on="account_id")
        .join(partner, on="partner")
        .group_by("account_id")
        .agg(
            (
                pl.col("weight").filter(pl.col("community") == pl.col("partner_community")).sum()
                / pl.col("weight").sum()
            ).alias("strength")
        )
    )


def operator_clusters(edges: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Cluster the account graph; provisional labels 0, 1, ... by size, then first account."""
    if edges.is_empty():
        return pl.DataFrame(schema=MEMBERSHIP_SCHEMA)
    membership = leiden(edges, resolution=settings.detect_resolution, seed=settings.detect_seed)
    members = (
        membership.join(membership_strength(edges, membership), on="account_id", how="left")
        .with_columns(pl.col("strength").fill_null(0.0))
        .filter(pl.col("strength") >= settings.detect_min_strength)
        .filter(pl.len().over("community") >= 2)
    )
    order = (
        members.group_by("community")
        .agg(pl.len().alias("size"), pl.col("account_id").min().alias("first"))
        .sort(["size", "first"], descending=[True, False])
        .with_row_index("cluster")
        .select(pl.col("cluster").cast(pl.Int64), "community")
    )
    return (
        members.join(order, on="community")
        .select("account_id", "cluster", "strength")
        .cast(MEMBERSHIP_SCHEMA)
        .sort("cluster", "account_id")
    )
