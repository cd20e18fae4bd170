"""Exports: Parquet/CSV per view with the documented columns, findings.json, cluster sheets."""

from __future__ import annotations

import csv
import json

import polars as pl
import pytest

# The columns each exported table must have (docs/views.md); v_clusters starts with the
# contracted `clusters` columns, so only what publish adds and relies on is listed for it.
EXPECTED_COLUMNS = {
    "v_loads": ["load_id", "source_key", "path", "member", "sha256", "layout", "release",
                "status", "message", "rows_read", "rows_loaded", "rows_quarantined", "posts",
                "accounts", "posting_accounts", "entities", "quarantined", "first_post_at",
                "last_post_at", "started_at", "finished_at", "seconds"],
    "v_accounts": ["account_id", "handle", "display_name", "description", "reported_location",
                   "profile_url", "follower_count", "following_count", "created_on",
                   "account_language", "category", "category_detail", "region", "handles",
                   "releases", "loads", "described_by_load_id", "posts", "first_post_at",
                   "last_post_at"],
    "v_account_timeline": ["account_id", "handle", "day", "posts", "originals", "retweets",
                           "replies", "quotes", "first_at", "last_at"],
    "v_cluster_members": ["cluster_id", "account_id", "handle", "display_name", "category",
                          "strength", "posts", "first_post_at", "last_post_at", "created_on",
                          "handles"],
    "v_cluster_evidence": ["cluster_id", "rank", "behavior", "target", "accounts", "handles",
                           "times", "max_lag_s", "sample_text"],
    "v_persona_switches": ["account_id", "handle", "category", "switch_at", "from_cluster",
                           "to_cluster", "partners_before", "partner_handles_before",
                           "partners_after", "partner_handles_after", "hashtags_before",
                           "hashtags_after", "silence_days", "handles_before", "handles_after",
                           "evidence"],
    "v_coactivity": ["account_a", "handle_a", "account_b", "handle_b", "behavior", "period",
                     "shared_targets", "shared_events", "first_at", "last_at", "median_lag_s",
                     "weight"],
    "v_detect_runs": ["run_id", "started_at", "parameters", "clusters", "switches"],
}
CLUSTER_COLUMNS = ["cluster_id", "size", "density", "behaviors", "first_at", "last_at",
                   "description", "status", "members", "member_posts", "handles",
                   "dominant_category", "dominant_category_share"]


@pytest.mark.parametrize("view", sorted(EXPECTED_COLUMNS))
def test_parquet_and_csv_columns(published, view):
    parquet = pl.read_parquet(published / "tables" / f"{view}.parquet")
    assert parquet.columns == EXPECTED_COLUMNS[view]
    with (published / "tables" / f"{view}.csv").open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == EXPECTED_COLUMNS[view]


def test_clusters_export_has_contract_and_added_columns(published):
    df = pl.read_parquet(published / "tables" / "v_clusters.parquet")
    assert set(CLUSTER_COLUMNS) <= set(df.columns)
    assert df["cluster_id"].to_list() == ["C0001", "C0002"]
    assert df.schema["behaviors"] == pl.List(pl.String)


def test_csv_row_counts_match_parquet(published):
    manifest = json.loads((published / "manifest.json").read_text())
    for view, rows in manifest["row_counts"].items():
        assert pl.read_parquet(published / "tables" / f"{view}.parquet").height == rows
        with (published / "tables" / f"{view}.csv").open(newline="", encoding="utf-8") as fh:
            assert sum(1 for _ in csv.reader(fh)) == rows + 1


def test_findings_json_keys(published):
    findings = json.loads((published / "findings.json").read_text())
    assert set(findings) == {"run", "totals", "clusters", "members", "evidence", "switches",
                             "changes"}
    assert findings["run"]["run_id"] == published.name
    assert findings["run"]["parameters"]["detection"] == {"min_shared": 3, "resolution": 1.0}
    assert "warehouse" in findings["run"]["parameters"]["settings"]
    assert {m["account_id"] for m in findings["members"]} == {"a1", "a2", "a3", "a4", "a5",
                                                               "a8"}
    assert set(findings["clusters"][0]) >= set(CLUSTER_COLUMNS)
    assert set(findings["evidence"][0]) == set(EXPECTED_COLUMNS["v_cluster_evidence"])
    assert set(findings["switches"][0]) == set(EXPECTED_COLUMNS["v_persona_switches"])
    assert findings["switches"][0]["switch_at"] == "2016-10-17"
    assert findings["totals"]["accounts"] == 8


def test_csv_cells_are_guarded_against_formulas(published, hostile):
    for path in (published / "tables").glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@", "\t", "\r")), (path.name, cell)
                    assert not (cell.startswith("-") and not _number(cell)), (path.name, cell)
    with (published / "tables" / "v_cluster_members.csv").open(encoding="utf-8") as fh:
        text = fh.read()
    assert "'" + hostile["handle_a3"] in text  # +cmd|... kept, made inert
    assert "'" + hostile["handle_a4"] in text  # @mention
    assert "'" + hostile["handle_a8"] in text  # -minus
    evidence = (published / "tables" / "v_cluster_evidence.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in evidence
    # Parquet keeps the data as it is: guarding is for spreadsheets only
    members = pl.read_parquet(published / "tables" / "v_cluster_members.parquet")
    assert hostile["handle_a3"] in members["handle"].to_list()


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_cluster_sheets_have_safe_names(published):
    manifest = json.loads((published / "manifest.json").read_text())
    sheets = manifest["cluster_sheets"]
    assert sheets == {"C0001": "clusters/c0001.csv", "C0002": "clusters/c0002.csv"}
    for rel in sheets.values():
        assert (published / rel).resolve().parent == (published / "clusters").resolve()
