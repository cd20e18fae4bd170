"""manifest.json contents, run ids and the `latest` pointer."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime

import sockpuppet
from sockpuppet.publish import publish
from sockpuppet.publish.run_folder import latest_run, new_run_folder, point_latest, run_id


def test_manifest_contents(published):
    m = json.loads((published / "manifest.json").read_text())
    assert m["run_id"] == published.name
    assert m["code"]["sockpuppet"] == sockpuppet.__version__
    assert "git" in m["code"]  # None outside a git checkout
    assert [i["sha256"] for i in m["inputs"]] == ["ab" * 32, "cd" * 32]
    assert {i["layout"] for i in m["inputs"]} == {"ira-csv", "io-tweets"}
    assert m["parameters"]["settings"]["report_clusters"] == 12
    assert m["parameters"]["detection"]["min_shared"] == 3
    assert m["views"]["skipped"] == {} and "v_clusters" in m["views"]["created"]
    assert m["row_counts"]["v_accounts"] == 8 and m["row_counts"]["v_clusters"] == 2
    assert m["graph"]["nodes"] == 6 and m["graph"]["edges"] == 7
    assert set(m["timings_s"]) >= {"views", "exports", "graph", "report"}
    files = {f["path"]: f for f in m["files"]}
    for name in ("report.html", "summary.md", "findings.json", "accounts.graphml",
                 "accounts.gexf", "tables/v_clusters.parquet", "tables/v_clusters.csv"):
        assert name in files
    report = files["report.html"]
    assert report["sha256"] == hashlib.sha256((published / "report.html").read_bytes()).hexdigest()


def test_latest_points_at_newest_run(settings, warehouse):
    first = publish(settings.out, settings)
    assert latest_run(settings.out) == first
    second = publish(settings.out, settings)
    out = settings.out
    assert (out / "LATEST").read_text().strip() == second.name
    assert (out / "latest").is_symlink() and os.readlink(out / "latest") == second.name
    assert (out / "latest" / "report.html").exists()
    assert latest_run(out) == second
    # the same inputs and settings give the same content hash suffix
    assert first.name.split("-")[1] == second.name.split("-")[1]


def test_latest_file_fallback_without_symlink(tmp_path):
    run = new_run_folder(tmp_path, {"x": 1})
    point_latest(tmp_path, run)
    (tmp_path / "latest").unlink()
    assert latest_run(tmp_path) == run


def test_run_ids_sort_by_time_even_within_a_millisecond(tmp_path):
    at = datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=UTC)
    assert run_id(at, {"a": 1}).startswith("20240501T120000123Z-")
    runs = [new_run_folder(tmp_path, {"a": i}, now=at) for i in range(3)]
    assert [r.name for r in runs] == sorted(r.name for r in runs)
    assert len({r.name for r in runs}) == 3
