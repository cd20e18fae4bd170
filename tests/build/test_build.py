from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from sockpuppet import build as B
from sockpuppet.warehouse import connect
from transforms.coactivity_events import CoactivityParams

KEYS = {
    "account_timeline": ["account_id", "day"],
    "account_profile": ["account_id"],
    "coactivity_pairs": ["account_a", "account_b", "behavior", "period"],
    "coactivity_events": ["behavior", "account_a", "account_b", "target", "a_at", "b_at"],
    "target_popularity": ["behavior", "period", "target"],
    "account_behavior_counts": ["account_id", "behavior", "period"],
    "coactivity_stats": ["behavior", "period"],
}


def tables(settings) -> dict[str, pl.DataFrame]:
    con = connect(settings.warehouse_path, settings=settings, read_only=True)
    try:
        return {t: con.sql(f"select * from {t}").pl().sort(KEYS[t]) for t in KEYS}
    finally:
        con.close()


def whole(settings) -> dict[str, pl.DataFrame]:
    con = connect(settings.warehouse_path, settings=settings, read_only=True)
    try:
        posts, entities = B.read_core(con)
        accounts = B.read_accounts(con)
        out = B.derive(posts, entities, accounts, CoactivityParams.from_settings(settings),
                       settings.silence_days)
    finally:
        con.close()
    return {t: out[t].sort(KEYS[t]) for t in KEYS}


@pytest.mark.parametrize(("period", "min_events"), [("1mo", 1), ("1w", 1), ("1mo", 2)])
def test_partitioned_build_equals_whole(warehouse_settings, period, min_events):
    s = warehouse_settings.model_copy(update={
        "period": period, "coactivity_max_k": 3, "pair_min_events": min_events,
        "pair_min_weight": 0.0 if min_events == 1 else 0.5,
    })
    summary = B.build(s)
    assert summary["partitions"] == len(B.build_partitions(s)) > 2
    got, expected = tables(s), whole(s)
    for t in KEYS:
        assert_frame_equal(got[t], expected[t], check_dtypes=False, check_exact=False), t
    pairs = got["coactivity_pairs"]
    assert set(pairs["behavior"]) >= {"co_retweet", "co_reply", "co_url", "co_text",
                                      "co_hashtag"}
    # pairs cross period boundaries: some evidence has its earlier event in the previous period
    ev = got["coactivity_events"]
    earlier = pl.min_horizontal("a_at", "b_at").dt.truncate(period).cast(pl.Date)
    assert ev.filter(earlier < pl.col("period")).height > 0 or min_events > 1
    assert summary["capped"]["co_retweet"] > 0  # max_k = 3 binds somewhere


def test_build_is_idempotent_and_partial_rebuild_replaces_one_period(warehouse_settings):
    s = warehouse_settings
    first = B.build(s)
    again = B.build(s)
    assert first["rows"] == again["rows"]
    before = tables(s)
    parts = B.build_partitions(s)
    B.build(s, partitions=[parts[1]])
    after = tables(s)
    for t in KEYS:
        assert_frame_equal(after[t], before[t])


def test_build_of_some_behaviors_gives_their_rows_of_the_full_build(warehouse_settings):
    full_settings = warehouse_settings
    B.build(full_settings)
    full = tables(full_settings)
    some = ["co_url", "co_retweet"]
    B.build(full_settings.model_copy(update={"build_behaviors": some}))
    got = tables(full_settings)
    for t in ("coactivity_pairs", "coactivity_events", "target_popularity",
              "account_behavior_counts", "coactivity_stats"):
        assert set(got[t]["behavior"]) == set(some), t
        assert_frame_equal(got[t], full[t].filter(pl.col("behavior").is_in(some)))
    for t in ("account_timeline", "account_profile"):  # behaviour-independent
        assert_frame_equal(got[t], full[t])


def test_unknown_behavior_is_a_settings_error(tmp_path):
    from pydantic import ValidationError

    from sockpuppet.settings import Settings

    with pytest.raises(ValidationError, match="co_link"):
        Settings(warehouse=tmp_path / "w.duckdb", build_behaviors=["co_retweet", "co_link"])


def test_live_rows_only_and_no_duplicates(warehouse_settings):
    B.build(warehouse_settings)
    got = tables(warehouse_settings)
    assert "999" not in set(got["account_timeline"]["account_id"])  # failed load
    assert got["account_timeline"]["posts"].sum() == 3018  # load 2 repeats 200 posts


def test_pair_evidence_shows_the_co_actions(warehouse_settings):
    B.build(warehouse_settings)
    con = connect(warehouse_settings.warehouse_path, settings=warehouse_settings)
    try:
        a, b = con.execute(
            "select account_a, account_b from coactivity_pairs where behavior = 'co_retweet' "
            "order by shared_events desc, account_a, account_b limit 1"
        ).fetchall()[0]
        ev = B.pair_evidence(con, b, a, "co_retweet")
        n = con.execute(
            "select shared_events from coactivity_pairs where account_a = ? and account_b = ? "
            "and behavior = 'co_retweet'", [a, b]).fetchall()
    finally:
        con.close()
    assert ev.height == sum(r[0] for r in n) > 0
    assert (ev["lag_s"] <= warehouse_settings.window_co_retweet_s).all()
    assert set(ev.columns) >= {"target", "a_at", "b_at", "a_post_id", "b_post_id", "a_text"}


def test_standalone_partition_tasks_then_merge(warehouse_settings):
    s = warehouse_settings
    parts = [B.build_partition(p, s) for p in B.build_partitions(s)]  # read-only, per process
    B.merge_partitions(parts, s, replace_all=True)
    got, expected = tables(s), whole(s)
    assert_frame_equal(got["coactivity_pairs"], expected["coactivity_pairs"], check_exact=False)


def test_empty_warehouse_builds_empty_tables(tmp_path):
    from sockpuppet.settings import Settings

    s = Settings(warehouse=tmp_path / "w.duckdb", build_dir=tmp_path / "build")
    connect(s.warehouse_path, settings=s).close()
    summary = B.build(s)
    assert summary["partitions"] == 0
    assert all(n == 0 for n in summary["rows"].values())


def test_partitions_in_worker_processes_equal_whole(warehouse_settings, monkeypatch):
    """Larger archives derive side-by-side partitions in spawned processes: same tables."""
    monkeypatch.setattr(B, "_PROCESS_MIN_POSTS", 0)
    s = warehouse_settings.model_copy(update={"build_workers": 2})
    B.build(s)
    got, expected = tables(s), whole(s)
    for t in KEYS:
        assert_frame_equal(got[t], expected[t], check_dtypes=False, check_exact=False), t


def test_cli_build_behaviors_option(warehouse_settings, monkeypatch, capsys):
    from sockpuppet.cli import main

    monkeypatch.setenv("SOCKPUPPET_BUILD_DIR", str(warehouse_settings.build_dir))
    warehouse = str(warehouse_settings.warehouse_path)
    assert main(["build", "--warehouse", warehouse, "--behaviors", "co_retweet,co_link"]) == 2
    err = capsys.readouterr().err
    assert "setting build_behaviors" in err and "co_link" in err
    assert main(["build", "--warehouse", warehouse, "--behaviors", "co_reply"]) == 0
    assert set(tables(warehouse_settings)["coactivity_pairs"]["behavior"]) == {"co_reply"}


def test_cli_reports_a_bad_setting_from_the_environment(warehouse_settings, monkeypatch, capsys):
    from sockpuppet.cli import main

    monkeypatch.setenv("SOCKPUPPET_BUILD_DIR", str(warehouse_settings.build_dir))
    monkeypatch.setenv("SOCKPUPPET_BUILD_BEHAVIORS", '["co_link"]')
    code = main(["build", "--warehouse", str(warehouse_settings.warehouse_path)])
    assert code == 2
    assert "setting build_behaviors" in capsys.readouterr().err
