"""operator_clusters: which accounts act as one operator.

Grain: one row per clustered account; key account_id. Columns cluster (a provisional integer
label here; ``stable_ids`` turns it into the persistent ``cluster_id``) and strength (the share
of the account's edge weight that goes to its own cluster). Accounts in no cluster are absent;
every cluster has at least two members.

Leiden (RB configuration, i.e. modularity with a resolution) on the significance-weighted
``account_graph``. Vertices are sorted account ids and the seed is fixed, so the same graph gives
the same clusters.

Modularity has a resolution limit: in a graph with a few huge teams, two small teams joined by
a handful of edges score higher merged than apart. So every cluster is re-clustered on its own
subgraph, and split where the parts are well separated: each part's conductance (weight leaving
the part / the smaller side's total weight) is at most ``detect_split_conductance``. A real team
is near-complete and has no such cut; one operator's two teams linked by shared amplification
and traces do.
"""

from __future__ import annotations

import igraph as ig
import leidenalg
import polars as pl

from sockpuppet.detect.schemas import schema
from sockpuppet.settings import Settings

_CORE_SHARE = 0.75
MEMBERSHIP_SCHEMA = schema({"account_id": pl.String, "cluster": pl.Int64, "strength": pl.Float64})


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


def _conductances(sub: pl.DataFrame, parts: pl.DataFrame) -> list[float]:
    """Conductance of every part of a split of one cluster's subgraph, bridges left out.

    A bridge is a member with less than ``_CORE_SHARE`` of its weight inside its own part (an
    account that switched teams, say): it says nothing about whether the parts belong together,
    so it is ignored here and simply follows the larger side.
    """
    side = dict(zip(parts["account_id"].to_list(), parts["community"].to_list(), strict=True))
    rows = sub.select("account_a", "account_b", "weight").rows()
    own: dict[str, float] = {}
    total: dict[str, float] = {}
    for a, b, w in rows:
        for x, y in ((a, b), (b, a)):
            total[x] = total.get(x, 0.0) + w
            if side[x] == side[y]:
                own[x] = own.get(x, 0.0) + w
    core = {x for x, t in total.items() if own.get(x, 0.0) >= _CORE_SHARE * t}
    cut: dict[int, float] = {}
    vol: dict[int, float] = {}
    for a, b, w in rows:
        if a not in core or b not in core:
            continue
        ca, cb = side[a], side[b]
        vol[ca] = vol.get(ca, 0.0) + w
        vol[cb] = vol.get(cb, 0.0) + w
        if ca != cb:
            cut[ca] = cut.get(ca, 0.0) + w
            cut[cb] = cut.get(cb, 0.0) + w
    if len(vol) < 2:
        return [1.0]
    whole = sum(vol.values())
    return [cut.get(c, 0.0) / max(min(v, whole - v), 1e-12) for c, v in vol.items()]


def refine(edges: pl.DataFrame, membership: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Split clusters whose own subgraph falls apart into well-separated parts (recursively)."""
    out: list[pl.DataFrame] = []
    todo = [part for _, part in membership.group_by("community", maintain_order=True)]
    next_label = int(membership["community"].max() or 0) + 1  # type: ignore[arg-type]
    while todo:
        group = todo.pop()
        if group.height < 4:
            out.append(group)
            continue
        ids = group["account_id"].implode()
        sub = edges.filter(pl.col("account_a").is_in(ids) & pl.col("account_b").is_in(ids))
        parts = leiden(sub, resolution=settings.detect_resolution, seed=settings.detect_seed)
        if parts["community"].n_unique() < 2 or max(_conductances(sub, parts)) > (
            settings.detect_split_conductance
        ):
            out.append(group)
            continue
        # unlinked members (no edge inside) stay with the first part
        labelled = group.select("account_id").join(parts, on="account_id", how="left")
        for _, piece in labelled.with_columns(pl.col("community").fill_null(0)).group_by(
            "community", maintain_order=True
        ):
            todo.append(piece.with_columns(pl.lit(next_label, pl.Int64).alias("community")))
            next_label += 1
    return pl.concat(out).sort("account_id") if out else membership


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
    membership = refine(edges, membership, settings)
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
