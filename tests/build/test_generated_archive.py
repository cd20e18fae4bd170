"""Regression: a small generated archive (fixed seed), loaded with the real loaders, built."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from sockpuppet.settings import Settings

pytestmark = pytest.mark.slow

generate = pytest.importorskip("sockpuppet.generate")
pipeline = pytest.importorskip("sockpuppet.pipeline")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Settings, pl.DataFrame]:
    root = tmp_path_factory.mktemp("gen")
    try:
        summary = generate.generate_archive(root / "out", seed=11, accounts=300, days=14,
                                            layout="io-archive")
        # max_k 10: a viral tweet's ~50+ retweeters would pair fully under the default 50
        s = Settings(warehouse=root / "w.duckdb", build_dir=root / "build", coactivity_max_k=10)
        pipeline.ingest([summary.archive_dir], settings=s)
    except (ImportError, AttributeError, NotImplementedError) as exc:  # stage not merged yet
        pytest.skip(f"generator/loader unavailable: {exc}")
    from sockpuppet import build as B

    B.build(s)
    truth = pl.read_csv(Path(summary.truth), schema_overrides={"account_id": pl.String,
                                                               "team": pl.String})
    return s, truth.select("account_id", "team")


def _pairs(s: Settings) -> pl.DataFrame:
    from sockpuppet.warehouse import connect

    con = connect(s.warehouse_path, settings=s, read_only=True)
    try:
        return con.sql("select * from coactivity_pairs").pl()
    finally:
        con.close()


def test_planted_teams_make_the_strongest_pairs(built):
    s, truth = built
    t = truth.filter(pl.col("team").is_not_null())
    total = (
        _pairs(s).group_by("account_a", "account_b").agg(w=pl.col("weight").sum())
        .join(t.rename({"account_id": "account_a", "team": "ta"}), on="account_a", how="left")
        .join(t.rename({"account_id": "account_b", "team": "tb"}), on="account_b", how="left")
        .with_columns(same=(pl.col("ta") == pl.col("tb")).fill_null(False))
        .sort("w", descending=True)
    )
    assert total.head(200)["same"].mean() > 0.95
    # every planted team has some pair among the 500 strongest
    assert set(total.head(500).filter("same")["ta"]) == set(t["team"])


def test_viral_tweet_does_not_make_quadratic_pairs(built):
    s, _ = built
    from sockpuppet.warehouse import connect

    con = connect(s.warehouse_path, settings=s, read_only=True)
    try:
        target, accounts = con.execute(
            "select target, accounts from target_popularity where behavior = 'co_retweet' "
            "order by accounts desc limit 1").fetchall()[0]
        rows, max_w = con.execute(
            "select count(*), max(1 / log2(1 + ?)) from coactivity_events "
            "where behavior = 'co_retweet' and target = ?", [accounts, target]).fetchall()[0]
    finally:
        con.close()
    assert accounts >= 20
    assert rows <= accounts * s.coactivity_max_k
    assert rows < accounts * (accounts - 1) / 4
    assert max_w < 0.25
