"""``manifest.json``: what a run was made from and what it wrote, to reproduce or audit it."""

from __future__ import annotations

import hashlib
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

import sockpuppet
from sockpuppet.settings import PROJECT_ROOT, Settings


@lru_cache(maxsize=1)
def git_describe() -> str | None:
    """``git describe --always --dirty`` of the checkout, or None outside a git checkout."""
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"], cwd=PROJECT_ROOT,
            capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def code_version() -> dict[str, Any]:
    # a stale editable install can import sockpuppet as a namespace package (no __version__)
    version = getattr(sockpuppet, "__version__", None)
    if version is None:
        try:
            version = metadata.version("sockpuppet")
        except metadata.PackageNotFoundError:
            version = "unknown"
    return {"sockpuppet": version, "git": git_describe()}


def inputs(loads: pl.DataFrame) -> list[dict[str, Any]]:
    """List the live loads this run was made from, with their content hashes."""
    cols = [c for c in ("load_id", "path", "member", "sha256", "layout", "release",
                        "rows_loaded", "posts", "accounts") if c in loads.columns]
    return loads.filter(pl.col("status") == "loaded").select(cols).to_dicts()


def parameters(settings: Settings, detection: dict[str, Any]) -> dict[str, Any]:
    return {"settings": settings.model_dump(mode="json"), "detection": detection}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def files_written(run_folder: Path) -> list[dict[str, Any]]:
    """Every file of the run (but the manifest) with its size and sha256."""
    return [
        {"path": p.relative_to(run_folder).as_posix(), "bytes": p.stat().st_size,
         "sha256": sha256_file(p)}
        for p in sorted(run_folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    ]
