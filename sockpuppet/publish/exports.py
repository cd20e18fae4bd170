"""Parquet and CSV copies of every analyst view, and per-cluster evidence sheets.

Files go to ``<run>/tables/<view>.parquet|csv`` and ``<run>/clusters/<slug>.csv``. Parquet is
written by DuckDB straight from the view (streamed, types kept); CSV goes through Arrow batches
so nested columns are flattened and every text cell is guarded against formula injection
without holding a whole view in memory.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from sockpuppet.publish.safety import guard_frame, safe_child, unique_slugs

CSV_BATCH_ROWS = 100_000  # bounded memory for big views (v_coactivity, v_account_timeline)


def write_csv(frames: list[pl.DataFrame] | pl.DataFrame, path: Path) -> int:
    """Write frames (batches of one table) as one guarded CSV; returns rows written."""
    rows = 0
    with path.open("wb") as fh:
        for i, df in enumerate([frames] if isinstance(frames, pl.DataFrame) else frames):
            guard_frame(df).write_csv(fh, include_header=i == 0)
            rows += df.height
    return rows


def write_view(con: duckdb.DuckDBPyConnection, view: str, folder: Path) -> dict[str, int | str]:
    """``folder/<view>.parquet`` and ``.csv``; returns their names and the row count."""
    parquet = safe_child(folder, f"{view}.parquet")
    csv = safe_child(folder, f"{view}.csv")
    con.table(view).write_parquet(str(parquet))
    reader = con.table(view).arrow(CSV_BATCH_ROWS)
    batches = (pl.from_arrow(batch) for batch in reader)
    frames = [df for df in batches if isinstance(df, pl.DataFrame)]
    if not frames:  # an empty view still gets a header row
        frames = [pl.from_arrow(reader.schema.empty_table())]  # type: ignore[list-item]
    rows = write_csv(frames, csv)
    return {"parquet": parquet.name, "csv": csv.name, "rows": rows}


def write_views(
    con: duckdb.DuckDBPyConnection, views: list[str], run_folder: Path
) -> dict[str, dict[str, int | str]]:
    folder = run_folder / "tables"
    folder.mkdir(exist_ok=True)
    return {view: write_view(con, view, folder) for view in views}


def write_cluster_sheets(evidence: pl.DataFrame, run_folder: Path) -> dict[str, str]:
    """One CSV of evidence per cluster, named after a slug of its id; returns id → file."""
    if evidence.is_empty():
        return {}
    folder = run_folder / "clusters"
    folder.mkdir(exist_ok=True)
    slugs = unique_slugs(evidence["cluster_id"].unique(maintain_order=True).to_list())
    files = {}
    for cluster_id, slug in slugs.items():
        path = safe_child(folder, f"{slug}.csv")  # the id is data: slugged, then checked
        write_csv(evidence.filter(pl.col("cluster_id") == cluster_id), path)
        files[str(cluster_id)] = f"clusters/{path.name}"
    return files
