"""DAG integrity: the files parse, and every DAG has the schedule, edges and defaults we expect."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from sockpuppet.assets import CORE, DERIVED, DETECTION, FINDINGS
from sockpuppet.dag_defaults import WRITER_POOL

PROJECT = Path(__file__).resolve().parents[2]
DAGS = PROJECT / "dags"

EXPECTED_DAGS = {
    "ingest_archives",
    "build_coactivity",
    "detect_operators",
    "publish_findings",
    "weekly_summary",
}
# (upstream, downstream) task edges per DAG
EDGES = {
    "ingest_archives": {
        ("find_new_files", "load_file"),
        ("load_file", "mark_core_tables"),
        ("load_file", "report_loads"),
    },
    "build_coactivity": {
        ("build_partitions", "build_partition"),
        ("build_partition", "merge_partitions"),
    },
    "detect_operators": set(),
    "publish_findings": set(),
    "weekly_summary": set(),
}
# tasks that write the warehouse and so must share the one-slot pool
WRITERS = {
    "ingest_archives": {"load_file"},
    "build_coactivity": {"merge_partitions"},
    "detect_operators": {"detect"},
    "publish_findings": {"publish"},
    "weekly_summary": {"publish_summary"},
}
OUTLETS = {
    ("ingest_archives", "mark_core_tables"): CORE,
    ("build_coactivity", "merge_partitions"): DERIVED,
    ("detect_operators", "detect"): DETECTION,
    ("publish_findings", "publish"): [FINDINGS],
    ("weekly_summary", "publish_summary"): [FINDINGS],
}


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == EXPECTED_DAGS


def test_dag_files_import_no_heavy_modules():
    """Parsing the DAGs must not import polars, duckdb or the pipeline (best-practices guide)."""
    code = (
        "import sys, runpy, pathlib\n"
        f"for f in sorted(pathlib.Path({str(DAGS)!r}).glob('*.py')):\n"
        "    runpy.run_path(str(f))\n"
        "heavy = [m for m in ('polars', 'duckdb', 'great_expectations', 'sockpuppet.pipeline',"
        " 'sockpuppet.warehouse') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT, timeout=120)


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_dag_defaults(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert dag.tags and "sockpuppet" in dag.tags
    assert dag.doc_md and dag.doc_md.strip()
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    for t in dag.tasks:
        assert t.retries >= 2, t.task_id
        assert t.retry_exponential_backoff > 1, t.task_id
        assert t.retry_delay >= timedelta(seconds=10), t.task_id
        assert t.max_retry_delay is not None, t.task_id


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_edges(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    edges = {(t.task_id, d) for t in dag.tasks for d in t.downstream_task_ids}
    assert edges == EDGES[dag_id]


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_writers_share_the_one_slot_pool(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    writers = {t.task_id for t in dag.tasks if t.pool == WRITER_POOL}
    assert writers == WRITERS[dag_id]


@pytest.mark.parametrize(("dag_id", "task_id"), sorted(OUTLETS))
def test_outlets(dagbag, dag_id, task_id):
    task = dagbag.dags[dag_id].get_task(task_id)
    assert {a.uri for a in task.outlets} == {a.uri for a in OUTLETS[(dag_id, task_id)]}


def test_mapped_tasks(dagbag):
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    assert isinstance(dagbag.dags["ingest_archives"].get_task("load_file"), MappedOperator)
    assert isinstance(dagbag.dags["build_coactivity"].get_task("build_partition"), MappedOperator)


def _asset_uris(dag) -> set[str]:
    condition = dag.timetable.asset_condition
    assert type(condition).__name__ == "AssetAll"  # every input table changed (one writer task)
    return {a.uri for a in condition.objects}


def test_asset_schedules(dagbag):
    assert _asset_uris(dagbag.dags["build_coactivity"]) == {a.uri for a in CORE}
    assert _asset_uris(dagbag.dags["detect_operators"]) == {a.uri for a in DERIVED}
    assert _asset_uris(dagbag.dags["publish_findings"]) == {a.uri for a in DETECTION}


def test_cron_schedules(dagbag):
    weekly = dagbag.dags["weekly_summary"].timetable
    assert (weekly.expression, str(weekly.timezone)) == ("0 6 * * 1", "UTC")  # Monday 06:00 UTC
    assert dagbag.dags["ingest_archives"].timetable.expression == "*/15 * * * *"


def test_bad_data_is_not_retried(dagbag):
    from sockpuppet.dag_defaults import LoadFailed
    from sockpuppet.errors import ArchiveError, SockpuppetError

    task = dagbag.dags["ingest_archives"].get_task("load_file")
    policy = task.partial_kwargs.get("retry_policy") or task.retry_policy
    assert policy.evaluate(ArchiveError("truncated zip"), 1, 4).action.value == "fail"
    assert policy.evaluate(LoadFailed("a.csv: unknown layout"), 1, 4).action.value == "fail"
    assert policy.evaluate(SockpuppetError("warehouse busy"), 1, 4).action.value == "default"


def test_ruff_air3_clean():
    ruff = PROJECT / ".venv" / "bin" / "ruff"
    if not ruff.exists():
        pytest.skip(f"ruff not installed at {ruff}")
    proc = subprocess.run(
        [str(ruff), "check", "--select", "AIR3", "--no-cache", str(DAGS)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
