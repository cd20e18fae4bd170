"""Run folders ``DIR/<run id>/`` and the ``DIR/latest`` pointer to the newest one.

A run id is a UTC timestamp (sortable, millisecond resolution) plus a short hash of what the
run was made from (inputs, parameters, code version), e.g. ``20240101T120000123Z-3f9a1c``:
two runs with the same suffix were made from the same inputs and settings.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

LATEST_LINK = "latest"
LATEST_FILE = "LATEST"  # fallback where symlinks are not allowed; always written


def content_hash(made_from: Any) -> str:
    """Six hex digits of sha256 over a JSON dump of what the run was made from."""
    blob = json.dumps(made_from, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:6]


def run_id(at: datetime, made_from: Any) -> str:
    stamp = at.astimezone(UTC).strftime("%Y%m%dT%H%M%S") + f"{at.microsecond // 1000:03d}Z"
    return f"{stamp}-{content_hash(made_from)}"


def new_run_folder(out_dir: Path, made_from: Any, now: datetime | None = None) -> Path:
    """Create and return a fresh, uniquely named run folder under ``out_dir``.

    The id sorts after every existing run even if the clock stepped back or two runs fall in
    the same millisecond, so "newest" and "sorts last" always agree.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    at = now or datetime.now(UTC)
    existing = sorted(p.name for p in out_dir.iterdir() if p.is_dir() and not p.is_symlink())
    while True:
        rid = run_id(at, made_from)
        if not existing or rid > existing[-1]:
            try:
                (out_dir / rid).mkdir()
                return out_dir / rid
            except FileExistsError:
                pass
        at += timedelta(milliseconds=1)


def latest_run(out_dir: Path) -> Path | None:
    """Find the run ``latest`` points at (the LATEST file first, then the symlink), if any."""
    pointer = out_dir / LATEST_FILE
    if pointer.is_file():
        name = pointer.read_text(encoding="utf-8").strip()
        if name and "/" not in name and (out_dir / name).is_dir():
            return out_dir / name
    link = out_dir / LATEST_LINK
    if link.is_dir():
        return link.resolve()
    return None


def point_latest(out_dir: Path, run_folder: Path) -> None:
    """Point ``DIR/latest`` (relative symlink) and ``DIR/LATEST`` (text) at ``run_folder``.

    Both are replaced atomically (write beside, then rename), so a reader never sees a
    missing or half-written pointer.
    """
    tmp_file = out_dir / f".{LATEST_FILE}.tmp"
    tmp_file.write_text(run_folder.name + "\n", encoding="utf-8")
    os.replace(tmp_file, out_dir / LATEST_FILE)
    tmp_link = out_dir / f".{LATEST_LINK}.tmp"
    try:
        if tmp_link.is_symlink():
            tmp_link.unlink()
        os.symlink(run_folder.name, tmp_link, target_is_directory=True)
        os.replace(tmp_link, out_dir / LATEST_LINK)
    except OSError:  # no symlinks here (some Windows setups, some mounts): LATEST suffices
        pass
