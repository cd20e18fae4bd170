"""Seeded end-to-end accuracy on a small generated archive (generate -> ingest -> build -> detect).

On 250k-tweet archives (seeds 1-3) detection measures precision 0.99-1.0, recall 1.0, ARI 1.0,
switch recall 1.0 and no false switch. This 500-account, 60k-tweet archive measures precision
1.0, recall 1.0, ARI 1.0, switch recall 0.75 (three of four switches: small teams and only four
months to see a switch in); the floors leave a few points of margin.
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
    assert m["precision"] >= 0.95
    assert m["recall"] >= 0.95
    assert m["ari"] >= 0.95
    assert m["switch_recall"] >= 0.75
    assert m["false_switches_per_100"] <= 1.0
