"""generate → ingest → build → detect → evaluate on a small archive with planted teams."""

from __future__ import annotations

from pathlib import Path

import pytest

from sockpuppet import pipeline
from sockpuppet.evaluate import evaluate_warehouse, format_report
from sockpuppet.generate import generate_archive
from sockpuppet.settings import Settings
from sockpuppet.warehouse import connect


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["io-archive", "ira-csv"])
def test_planted_teams_are_found(tmp_path: Path, settings: Settings, layout: str) -> None:
    settings = settings.model_copy(update={"build_dir": tmp_path / "build"})
    gen = generate_archive(tmp_path / "gen", seed=4, accounts=300, days=35, layout=layout,
                           team_sizes=(6, 10, 25))
    loads = pipeline.ingest([gen.archive_dir], settings=settings)
    assert {r["status"] for r in loads} == {"loaded"}
    pipeline.build(settings)
    pipeline.detect(settings)
    con = connect(settings.warehouse_path, read_only=True, settings=settings)
    try:
        metrics = evaluate_warehouse(con, gen.out_dir)
    finally:
        con.close()
    report = format_report(metrics)
    # Clear planted teams in a quiet background: detection should find most of them. Measured
    # (2026-11): precision 1.0, recall 0.95 on both layouts; ARI 0.77 (io: a team split in
    # two) and 0.98 (IRA layout).
    assert metrics["precision"] >= 0.95, report
    assert metrics["recall"] >= 0.9, report
    assert metrics["ari"] >= 0.7, report
    assert metrics["teams_recovered"] >= 2, report
