"""Shared fixtures: a temp warehouse and small archive writers."""

from __future__ import annotations

from pathlib import Path

import pytest

from sockpuppet.settings import PROJECT_ROOT, Settings

SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        warehouse=tmp_path / "wh" / "sockpuppet.duckdb",
        out=tmp_path / "published",
        landing=tmp_path / "landing",
        sample_archive=tmp_path / "no-sample",
    )


@pytest.fixture
def shared_data():
    """A path under ../shared/data/, skipping the test when that data is absent."""

    def need(*parts: str) -> Path:
        path = SHARED_DATA.joinpath(*parts)
        if not path.exists():
            pytest.skip(f"shared data {path} is absent (see ../shared/data/README.md)")
        return path

    return need
