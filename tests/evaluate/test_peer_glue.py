"""The peer benchmark's pure parts: input conversion, edge comparison, Leiden clusters."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from benchmarks.peer import compare_edges, edge_truth, peer_clusters, write_peer_input
from sockpuppet.evaluate import score_against_truth
from sockpuppet.generate import generate_archive


def test_compare_edges_per_behaviour() -> None:
    peer = {"co_retweet": {("a", "b"): 3, ("b", "c"): 2, ("c", "d"): 2}, "co_link": set()}
    # Ours name co_link 'co_url'; edge order inside a pair does not matter.
    ours = {"co_retweet": {("b", "a"), ("c", "b"), ("x", "y"), ("y", "z")},
            "co_url": {("a", "b")}}
    cmp = compare_edges(peer, ours)
    assert cmp["co_retweet"] == {"peer": 3, "ours": 4, "both": 2, "jaccard": 2 / 5,
                                 "precision": 2 / 3, "recall": 2 / 4}
    assert cmp["co_link"]["recall"] == 0.0 and cmp["co_link"]["precision"] is None


def test_edge_truth_counts_same_team_edges() -> None:
    truth = pl.DataFrame({"account_id": ["a", "b", "c", "d"], "team": ["T1", "T1", "T1", None]})
    scores = edge_truth({("a", "b"): 2, ("a", "d"): 5}, truth)
    assert scores["edge_precision"] == 0.5
    assert scores["team_pair_recall"] == pytest.approx(1 / 3)  # 1 of T1's 3 pairs


def test_leiden_splits_two_cliques() -> None:
    clique = lambda names: {(a, b): 5 for i, a in enumerate(names) for b in names[i + 1:]}  # noqa: E731
    edges = {**clique(["a1", "a2", "a3", "a4"]), **clique(["b1", "b2", "b3"]), ("a1", "b1"): 1}
    clusters = peer_clusters(edges)
    assert clusters["cluster_id"].n_unique() == 2
    truth = pl.DataFrame({"account_id": ["a1", "a2", "a3", "a4", "b1", "b2", "b3", "o"],
                          "team": ["T1"] * 4 + ["T2"] * 3 + [""],
                          "operation": ["OP1"] * 7 + [""], "style": ["x"] * 8})
    scores = score_against_truth(
        clusters, pl.DataFrame(schema={"account_id": pl.String, "switch_at": pl.Date}), truth,
        pl.DataFrame(schema={"account_id": pl.String, "date": pl.Date}))
    assert scores["ari"] == 1.0 and scores["teams_recovered"] == 2


@pytest.mark.parametrize("layout", ["io-archive", "ira-csv"])
def test_peer_input_has_its_eight_columns(tmp_path: Path, layout: str) -> None:
    summary = generate_archive(tmp_path / "gen", seed=2, accounts=200, days=8, layout=layout)
    out = tmp_path / "peer.csv"
    info = write_peer_input(summary.archive_dir, out)
    assert info["layout"] == layout and info["rows"] > 1000
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["message_id", "user_id", "username", "repost_id", "reply_id", "message",
                       "timestamp", "urls"]
    body = rows[1:]
    assert {len(r) for r in body} == {8}
    assert all(r[6].isdigit() for r in body)  # epoch seconds
    reposts = [r for r in body if r[3]]
    assert 0.1 < len(reposts) / len(body) < 0.6
    assert any(r[7].startswith("http") and " " not in r[7] or " http" in r[7] for r in body)
    if layout == "io-archive":
        assert any(r[4] for r in body)  # replies keep the replied-to id
    else:
        assert all(r[3].startswith("txt:") for r in reposts)


def test_measure_reports_the_commands_own_peak(tmp_path: Path) -> None:
    # A 300 MB buffer held briefly: the peak is the child's, not this (large) test process's.
    import sys

    from benchmarks.peer import measure

    code = ("import time; b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096]); "
            "time.sleep(0.3)")
    small = measure([sys.executable, "-c", "pass"], cwd=tmp_path)
    big = measure([sys.executable, "-c", code], cwd=tmp_path)
    assert small["max_rss_mb"] < 60
    assert 300 <= big["max_rss_mb"] < 400
    assert 250 <= big["tree_rss_mb"] < 400
    with pytest.raises(RuntimeError, match="failed"):
        measure([sys.executable, "-c", "raise SystemExit(3)"], cwd=tmp_path)
