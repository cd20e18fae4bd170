"""The ingest benchmark's glue: alternating runs, medians and per-pair ratios (not timings)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from benchmarks.ingest_bench import bench_ingest
from sockpuppet.generate import generate_archive


def test_bench_alternates_runs_and_reports_medians(tmp_path: Path) -> None:
    generate_archive(tmp_path / "gen", seed=3, accounts=60, days=4)
    archive = tmp_path / "gen" / "archive"
    records = 0
    for path in archive.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            records += sum(1 for _ in csv.reader(fh)) - 1  # data records, header excluded

    result = bench_ingest("tiny", archive, workdir=tmp_path / "bench", repeat=2)

    assert result["runs"] == 2 and len(result["pair_ratios"]) == 2
    # Every run loads into a fresh warehouse: the counts are one load's, not two.
    assert result["rows_read"] == records
    # Medians of two runs are means: their ratio lies between the two runs' ratios (rounding).
    ratio = result["speed_vs_duckdb"]
    assert ratio == pytest.approx(result["baseline_s"] / result["ours_s"], abs=0.002)
    assert min(result["pair_ratios"]) - 0.002 <= ratio <= max(result["pair_ratios"]) + 0.002
