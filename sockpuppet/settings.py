"""The one typed settings object. Every knob has a default that makes the embedded run work.

Environment variables use the ``SOCKPUPPET_`` prefix (``SOCKPUPPET_WAREHOUSE``, ...); a ``.env``
file in the working directory is read too (see ``.env.example``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = PROJECT_ROOT / "sql"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOCKPUPPET_", env_file=".env", extra="ignore")

    # --- where things live -------------------------------------------------------------
    warehouse: Path = Field(Path("warehouse/sockpuppet.duckdb"), description="DuckDB file")
    out: Path = Field(Path("published"), description="where `publish` writes its runs")
    landing: Path = Field(Path("landing"), description="folder the ingest DAG watches")
    sample_archive: Path = Field(
        PROJECT_ROOT.parent / "shared" / "data" / "ira",
        description="embedded default input; a small archive is generated when it is absent",
    )

    # --- loading ------------------------------------------------------------------------
    # DuckDB is given this much memory and these threads; it spills to temp_directory beyond.
    memory_limit: str = "4GB"
    threads: int = 2
    temp_directory: Path | None = None
    # Great Expectations validates staged rows in Arrow batches of this size; above
    # gx_max_rows a deterministic sample is validated (the SQL row checks still see every row).
    gx_batch_rows: int = 250_000
    gx_max_rows: int = 1_000_000
    busy_timeout_s: float = 0.0  # how long a second writer waits for the lock before failing

    # --- derived tables -----------------------------------------------------------------
    period: str = "1mo"  # co-activity period (polars duration string: 1mo, 1w, 1d)

    @property
    def warehouse_path(self) -> Path:
        return self.warehouse.expanduser()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
