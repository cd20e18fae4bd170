"""The account graph as GraphML and GEXF (for Gephi, Cytoscape, igraph), written by hand.

Nodes are clustered accounts (attributes cluster_id, handle, category, strength, posts);
edges join clustered accounts that acted alike, summed over periods: ``weight`` is the total
and ``w_<behaviour>`` the part of each behaviour. ElementTree escapes markup; characters
XML forbids (control characters in handles) are dropped by :func:`safety.xml_text`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import polars as pl

from sockpuppet.publish.safety import xml_text

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
NODE_ATTRS = (("cluster_id", "string"), ("handle", "string"), ("category", "string"),
              ("strength", "double"), ("posts", "long"))


def graph_edges(edges: pl.DataFrame) -> tuple[list[str], list[dict[str, Any]]]:
    """Behaviours present, and one dict per account pair: a, b, weight, w_<behaviour>, events."""
    if edges.is_empty():
        return [], []
    behaviors = sorted(edges["behavior"].unique().to_list())
    wide = (
        edges.group_by("account_a", "account_b")
        .agg(
            pl.col("weight").sum().alias("weight"),
            pl.col("shared_events").sum().alias("shared_events"),
            *[pl.col("weight").filter(pl.col("behavior") == b).sum().alias(f"w_{b}")
              for b in behaviors],
        )
        .sort("account_a", "account_b")
    )
    return behaviors, wide.to_dicts()


def _graphml(members: pl.DataFrame, behaviors: list[str], pairs: list[dict]) -> ET.Element:
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    node_keys = {name: f"n_{name}" for name, _ in NODE_ATTRS}
    for name, kind in NODE_ATTRS:
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", id=node_keys[name], attrib={
            "for": "node", "attr.name": name, "attr.type": kind})
    edge_cols = ["weight", "shared_events", *[f"w_{b}" for b in behaviors]]
    for col in edge_cols:
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", id=f"e_{col}", attrib={
            "for": "edge", "attr.name": col,
            "attr.type": "long" if col == "shared_events" else "double"})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", id="accounts",
                          edgedefault="undirected")
    for row in members.iter_rows(named=True):
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", id=xml_text(row["account_id"]))
        for name, _ in NODE_ATTRS:
            if row.get(name) is not None:
                ET.SubElement(node, f"{{{GRAPHML_NS}}}data", key=node_keys[name]).text = (
                    xml_text(row[name]))
    for i, pair in enumerate(pairs):
        edge = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge", id=f"e{i}",
                             source=xml_text(pair["account_a"]),
                             target=xml_text(pair["account_b"]))
        for col in edge_cols:
            ET.SubElement(edge, f"{{{GRAPHML_NS}}}data", key=f"e_{col}").text = str(
                pair[col] or 0)
    return root


def _gexf(members: pl.DataFrame, behaviors: list[str], pairs: list[dict]) -> ET.Element:
    ET.register_namespace("", GEXF_NS)
    q = lambda tag: f"{{{GEXF_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("gexf"), version="1.3")
    meta = ET.SubElement(root, q("meta"))
    ET.SubElement(meta, q("creator")).text = "sockpuppet"
    ET.SubElement(meta, q("description")).text = "accounts in shared-operator clusters"
    graph = ET.SubElement(root, q("graph"), defaultedgetype="undirected", mode="static")
    gexf_type = {"string": "string", "double": "double", "long": "long"}
    node_attrs = ET.SubElement(graph, q("attributes"), attrib={"class": "node"})
    for i, (name, kind) in enumerate(NODE_ATTRS):
        ET.SubElement(node_attrs, q("attribute"), id=str(i), title=name, type=gexf_type[kind])
    edge_cols = ["shared_events", *[f"w_{b}" for b in behaviors]]
    edge_attrs = ET.SubElement(graph, q("attributes"), attrib={"class": "edge"})
    for i, col in enumerate(edge_cols):
        ET.SubElement(edge_attrs, q("attribute"), id=str(i), title=col,
                      type="long" if col == "shared_events" else "double")
    nodes = ET.SubElement(graph, q("nodes"))
    for row in members.iter_rows(named=True):
        node = ET.SubElement(nodes, q("node"), id=xml_text(row["account_id"]),
                             label=xml_text(row.get("handle") or row["account_id"]))
        values = ET.SubElement(node, q("attvalues"))
        for i, (name, _) in enumerate(NODE_ATTRS):
            if row.get(name) is not None:
                ET.SubElement(values, q("attvalue"), attrib={"for": str(i),
                                                             "value": xml_text(row[name])})
    edges = ET.SubElement(graph, q("edges"))
    for n, pair in enumerate(pairs):
        edge = ET.SubElement(edges, q("edge"), id=str(n), source=xml_text(pair["account_a"]),
                             target=xml_text(pair["account_b"]), weight=str(pair["weight"]))
        values = ET.SubElement(edge, q("attvalues"))
        for i, col in enumerate(edge_cols):
            ET.SubElement(values, q("attvalue"), attrib={"for": str(i),
                                                         "value": str(pair[col] or 0)})
    return root


def write_graphs(members: pl.DataFrame, edges: pl.DataFrame, run_folder: Path) -> dict[str, Any]:
    """Write ``accounts.graphml`` and ``accounts.gexf``; parse them back to be sure."""
    behaviors, pairs = graph_edges(edges)
    files = {}
    for name, root in (("accounts.graphml", _graphml(members, behaviors, pairs)),
                       ("accounts.gexf", _gexf(members, behaviors, pairs))):
        path = run_folder / name
        ET.indent(root)
        ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
        ET.parse(path)  # a file Gephi cannot open is worse than none: fail here
        files[name] = path.name
    return {"files": files, "nodes": members.height, "edges": len(pairs),
            "behaviors": behaviors}
