"""Analyst views: created over the contracted tables, skipped (not faked) when tables miss."""

from __future__ import annotations

import duckdb
import pytest

from sockpuppet.publish import publish
from sockpuppet.publish.views import VIEWS, create_views


def _con(path):
    return duckdb.connect(str(path))


def test_all_views_created_over_full_warehouse(warehouse):
    con = _con(warehouse)
    status = create_views(con)
    assert status.created == list(VIEWS)
    assert status.skipped == {}


@pytest.mark.parametrize(
    ("view", "key"),
    [
        ("v_accounts", ["account_id"]),
        ("v_account_timeline", ["account_id", "day"]),
        ("v_cluster_members", ["account_id"]),
        ("v_clusters", ["cluster_id"]),
        ("v_cluster_evidence", ["cluster_id", "rank"]),
        ("v_persona_switches", ["account_id", "switch_at"]),
        ("v_coactivity", ["account_a", "account_b", "behavior", "period"]),
        ("v_loads", ["load_id"]),
        ("v_detect_runs", ["run_id"]),
    ],
)
def test_view_key_is_unique(warehouse, view, key):
    con = _con(warehouse)
    create_views(con)
    df = con.table(view).pl()
    assert df.height > 0
    assert df.select(key).is_duplicated().sum() == 0, f"{view} key {key} not unique"


def test_v_accounts_keeps_latest_description(warehouse, hostile):
    con = _con(warehouse)
    create_views(con)
    rows = con.execute(
        "select description, loads, releases from v_accounts where account_id = 'a2'"
    ).fetchall()
    assert len(rows) == 1
    description, loads, releases = rows[0]
    assert description.startswith("new bio")
    assert loads == 2 and releases == ["IRAhandle_tweets", "iran_092020"]


def test_evidence_handles_follow_account_order(warehouse, hostile):
    con = _con(warehouse)
    create_views(con)
    handles = con.execute(
        "select handles from v_cluster_evidence where cluster_id = 'C0001' and rank = 1"
    ).fetchall()[0][0]
    assert handles == [hostile["handle_a1"], hostile["handle_a2"], hostile["handle_a3"]]


def test_missing_tables_skip_views_and_publish_still_works(settings, warehouse_factory):
    warehouse_factory(settings.warehouse_path, settings, derived=False, detection=False)
    con = _con(settings.warehouse_path)
    # a stale view from an earlier publish must not survive its table
    con.execute("create table clusters (cluster_id varchar)")
    con.execute("create view v_clusters as select * from clusters")
    con.execute("drop table clusters")
    status = create_views(con)
    con.close()
    assert status.created == ["v_loads", "v_accounts", "v_account_timeline"]
    assert status.skipped["v_clusters"].startswith("missing: clusters")
    assert "v_persona_switches" in status.skipped

    run = publish(settings.out, settings)
    import json

    manifest = json.loads((run / "manifest.json").read_text())
    assert set(manifest["views"]["skipped"]) == set(VIEWS) - set(status.created)
    assert (run / "tables" / "v_accounts.parquet").exists()
    assert not (run / "tables" / "v_clusters.parquet").exists()
    findings = json.loads((run / "findings.json").read_text())
    assert findings["clusters"] == [] and findings["switches"] == []
    assert "detection has not run" in (run / "report.html").read_text()
