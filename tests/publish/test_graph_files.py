"""GraphML and GEXF of the account graph parse and hold the expected nodes and edges."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

G = "{http://graphml.graphdrawing.org/xmlns}"
X = "{http://gexf.net/1.3}"
MEMBERS = {"a1", "a2", "a3", "a4", "a5", "a8"}
# coactivity pairs of the fixture between clustered accounts (a7 is unclustered)
EDGES = {("a1", "a2"), ("a1", "a3"), ("a2", "a3"), ("a4", "a5"), ("a4", "a8"), ("a5", "a8"),
         ("a3", "a4")}


def test_graphml(published, hostile):
    root = ET.parse(published / "accounts.graphml").getroot()
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(f"{G}key")}
    graph = root.find(f"{G}graph")
    assert graph.get("edgedefault") == "undirected"
    nodes = {n.get("id"): {keys[d.get("key")]: d.text for d in n.iter(f"{G}data")}
             for n in graph.iter(f"{G}node")}
    assert set(nodes) == MEMBERS
    assert nodes["a1"]["cluster_id"] == "C0001" and nodes["a4"]["cluster_id"] == "C0002"
    assert nodes["a2"]["handle"] == hostile["xss"]  # escaped in the file, intact when parsed
    assert nodes["a2"]["category"] == "RightTroll"
    edges = {}
    for e in graph.iter(f"{G}edge"):
        edges[(e.get("source"), e.get("target"))] = {
            keys[d.get("key")]: float(d.text) for d in e.iter(f"{G}data")}
    assert set(edges) == EDGES
    # a1-a2 co-retweeted in two periods: weights summed over periods
    assert edges[("a1", "a2")]["weight"] == pytest.approx(6.5)
    assert edges[("a1", "a2")]["w_co_retweet"] == pytest.approx(6.5)
    assert edges[("a2", "a3")]["w_co_hashtag"] == pytest.approx(1.0)
    assert edges[("a2", "a3")]["w_co_retweet"] == 0


def test_gexf(published, hostile):
    root = ET.parse(published / "accounts.gexf").getroot()
    assert root.tag == f"{X}gexf" and root.get("version") == "1.3"
    graph = root.find(f"{X}graph")
    titles = {a.get("id"): a.get("title")
              for a in graph.find(f"{X}attributes[@class='node']")}
    nodes = {}
    for n in graph.iter(f"{X}node"):
        nodes[n.get("id")] = {titles[v.get("for")]: v.get("value") for v in n.iter(f"{X}attvalue")}
    assert set(nodes) == MEMBERS
    assert nodes["a5"]["cluster_id"] == "C0002"
    labels = {n.get("id"): n.get("label") for n in graph.iter(f"{X}node")}
    assert labels["a5"] == hostile["handle_a5"]
    edges = {(e.get("source"), e.get("target")): float(e.get("weight"))
             for e in graph.iter(f"{X}edge")}
    assert set(edges) == EDGES
    assert edges[("a1", "a2")] == pytest.approx(6.5)
