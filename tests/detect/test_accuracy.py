"""Seeded end-to-end accuracy on a small generated archive (generate -> ingest -> build -> detect).

Floors sit a little below the done-when figures (measured on 250k-tweet archives: precision
1.0, recall 0.998, ARI 0.999, switch recall 1.0, no false switch on seeds 1-3) because a
500-account, 60k-tweet archive has small teams and only four months to see a switch in.
"""

from pathlib import Path

import pytest

from sockpuppet import pipeline
from sockpuppet.evaluate import evaluate_warehouse
from sockpuppet.generate import generate_archive
from sockpuppet.warehouse import connect


@pytest.mark.slow
def test_small_generated_archive_meets_the_floors(tmp_path: Path, settings):
    settings = settings.model_copy(update={"build_dir": tmp_path / "build"})
    generate_archive(tmp_path / "gen", seed=5, accounts=500, days=120)
    pipeline.ingest([tmp_path / "gen" / "archive"], settings=settings)
    pipeline.build(settings=settings)
    out = pipeline.detect(settings=settings)
    assert out["clusters"] >= 5
    con = connect(settings.warehouse_path, settings=settings)
    try:
        m = evaluate_warehouse(con, tmp_path / "gen")
    finally:
        con.close()
    assert m["precision"] >= 0.93
    assert m["recall"] >= 0.88
    assert m["ari"] >= 0.88
    assert m["switch_recall"] >= 0.75
    assert m["false_switches_per_100"] <= 1.0
