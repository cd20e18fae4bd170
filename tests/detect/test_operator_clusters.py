import itertools

import polars as pl

from sockpuppet.detect.operator_clusters import operator_clusters


def clique(names, weight):
    return [(a, b, weight) for a, b in itertools.combinations(sorted(names), 2)]


def graph(rows):
    return pl.DataFrame(rows, schema={"account_a": pl.String, "account_b": pl.String,
                                      "weight": pl.Float64}, orient="row")


def groups(members: pl.DataFrame) -> set[frozenset[str]]:
    return {frozenset(g["account_id"].to_list()) for _, g in members.group_by("cluster")}


def test_two_cliques_joined_by_a_weak_edge_are_two_clusters(settings):
    a = [f"a{i}" for i in range(6)]
    b = [f"b{i}" for i in range(5)]
    edges = graph(clique(a, 50.0) + clique(b, 40.0) + [("a0", "b0", 12.0)])
    members = operator_clusters(edges, settings)
    assert groups(members) == {frozenset(a), frozenset(b)}
    # strength: a0 keeps most but not all of its weight inside
    a0 = members.filter(pl.col("account_id") == "a0")["strength"][0]
    assert 0.9 < a0 < 1.0
    assert members.filter(pl.col("account_id") == "a1")["strength"][0] == 1.0
    # the largest cluster gets label 0
    assert set(members.filter(pl.col("cluster") == 0)["account_id"]) == set(a)


def test_small_teams_beside_a_huge_one_are_not_merged(settings):
    """Modularity's resolution limit would merge the two small cliques; refinement splits them."""
    big = [f"z{i:03d}" for i in range(150)]
    small_a = [f"a{i}" for i in range(6)]
    small_b = [f"b{i}" for i in range(7)]
    cross = [(x, y, 15.0) for x in small_a[:3] for y in small_b[:3]]
    edges = graph(clique(big, 100.0) + clique(small_a, 40.0) + clique(small_b, 40.0) + cross)
    assert groups(operator_clusters(edges, settings)) == {
        frozenset(big), frozenset(small_a), frozenset(small_b)
    }


def test_clusters_are_deterministic_and_order_independent(settings):
    a = [f"a{i}" for i in range(8)]
    b = [f"b{i}" for i in range(8)]
    rows = clique(a, 30.0) + clique(b, 30.0) + [("a1", "b1", 10.0), ("a2", "b3", 10.0)]
    first = operator_clusters(graph(rows), settings)
    again = operator_clusters(graph(list(reversed(rows))), settings)
    assert first.equals(again)


def test_no_edges_no_clusters(settings):
    assert operator_clusters(graph([]), settings).is_empty()
