"""The stage functions. The CLI and every Airflow task call exactly one of these.

Each opens the warehouse itself (DuckDB allows one writer, so stages never hold a connection
across calls) and returns a small JSON-able summary for logs and XComs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sockpuppet.settings import Settings, get_settings

log = logging.getLogger(__name__)


def _settings(settings: Settings | None) -> Settings:
    return settings or get_settings()


def ingest(
    paths: Sequence[Path | str], fmt: str = "auto", settings: Settings | None = None
) -> list[dict[str, Any]]:
    """Load every archive file under ``paths`` (files, folders or zips)."""
    from sockpuppet.load.ingest import ingest_paths

    return [r.as_dict() for r in ingest_paths([Path(p) for p in paths], fmt, _settings(settings))]


def ingest_file(
    path: Path | str, fmt: str = "auto", settings: Settings | None = None
) -> list[dict[str, Any]]:
    """Load one file or zip (the unit the ingest DAG maps over)."""
    return ingest([path], fmt, settings)


def find_new_files(
    landing: Path | str | None = None, settings: Settings | None = None
) -> list[str]:
    """Archive files under ``landing`` whose content is not loaded yet."""
    from sockpuppet.load.ingest import find_new_files as _find

    s = _settings(settings)
    return [str(p) for p in _find(Path(landing) if landing else s.landing, s)]


def build(settings: Settings | None = None, partitions: Sequence[str] | None = None) -> dict:
    """Derive timelines and co-activity tables from the core tables."""
    from sockpuppet import build as _build

    return _build.build(_settings(settings), partitions=partitions)


def build_partitions(settings: Settings | None = None) -> list[str]:
    from sockpuppet import build as _build

    return _build.build_partitions(_settings(settings))


def build_partition(partition: str, settings: Settings | None = None) -> str:
    from sockpuppet import build as _build

    return _build.build_partition(partition, _settings(settings))


def merge_partitions(parts: Sequence[str], settings: Settings | None = None) -> dict:
    from sockpuppet import build as _build

    return _build.merge_partitions(list(parts), _settings(settings))


def detect(settings: Settings | None = None) -> dict:
    """Find shared-operator clusters and persona switches."""
    from sockpuppet.detect import detect as _detect
    from sockpuppet.warehouse import connect

    s = _settings(settings)
    con = connect(s.warehouse_path, settings=s)
    try:
        return _detect(con, s)
    finally:
        con.close()


def publish(out: Path | str | None = None, settings: Settings | None = None) -> Path:
    """Write analyst views, exports and the report; returns the run folder."""
    from sockpuppet.publish import publish as _publish

    s = _settings(settings)
    return _publish(Path(out) if out else s.out, s)


def run(
    paths: Sequence[Path | str], out: Path | str | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    """Ingest → build → detect → publish."""
    s = _settings(settings)
    summary: dict[str, Any] = {"ingest": ingest(paths, "auto", s)}
    summary["build"] = build(s)
    summary["detect"] = detect(s)
    summary["publish"] = str(publish(out, s))
    return summary
