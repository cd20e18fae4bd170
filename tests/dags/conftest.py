"""Airflow test setup: a throwaway AIRFLOW_HOME with SQLite metadata and the project's dags/.

Airflow reads its configuration when first imported, so the environment is set here, at
collection time, before any test module in this folder imports it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
DAGS = PROJECT / "dags"

if "airflow" in sys.modules:  # pragma: no cover - only when another suite imported it first
    _home = Path(os.environ.get("AIRFLOW_HOME", "~/airflow")).expanduser()
else:
    _home = Path(tempfile.mkdtemp(prefix="sockpuppet-airflow-"))
    atexit.register(shutil.rmtree, _home, ignore_errors=True)
    os.environ.update(
        {
            "AIRFLOW_HOME": str(_home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_home / 'airflow.db'}",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(_home / "logs"),
        }
    )


@pytest.fixture(scope="session")
def airflow_home() -> Path:
    return _home


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))
