"""Load new or changed archive files from the landing folder into the core tables.

Loads released archive files dropped into the landing folder (`SOCKPUPPET_LANDING`, default
`landing/`) into the warehouse's core tables.

1. **find_new_files** lists the files and zips whose content (sha256) is not loaded yet, so a
   changed file is loaded again and an unchanged one never twice.
2. **load_file** is mapped: one task per file (`pipeline.ingest_file`). Loads write DuckDB, which
   allows one writer, so they queue for the one-slot `duckdb_writer` pool. Each load runs in one
   transaction: a failed load leaves the warehouse as it was and its log says why. A file the
   loader rejects (unreadable, unknown layout, failed validation) fails at once, without
   retries, and is tried again by every run until it is fixed or removed from the folder.
3. **mark_core_tables** marks the core tables' Assets when at least one file was loaded, which
   starts `build_coactivity`; it runs even when some loads failed, because the others changed
   the warehouse. **report_loads** logs the totals and fails the run when any load failed.

Nothing new in the folder: the mapped task has no instances and no Asset is marked.
"""

from __future__ import annotations

import logging

from airflow.sdk import TriggerRule, dag, task

from sockpuppet.assets import CORE
from sockpuppet.dag_defaults import DEFAULT_ARGS, START_DATE, WRITER_POOL, LoadFailed

log = logging.getLogger(__name__)


@dag(
    dag_id="ingest_archives",
    doc_md=__doc__,
    schedule="*/15 * * * *",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["sockpuppet", "ingest", "writer"],
)
def ingest_archives():
    @task
    def find_new_files() -> list[str]:
        from sockpuppet import pipeline

        files = pipeline.find_new_files()
        log.info("%d new or changed file(s): %s", len(files), files)
        return files

    @task(pool=WRITER_POOL, map_index_template="{{ archive_file }}")
    def load_file(path: str) -> list[dict]:
        from pathlib import Path

        from airflow.sdk import get_current_context

        from sockpuppet import pipeline

        get_current_context()["archive_file"] = Path(path).name  # names the mapped task in the UI

        results = pipeline.ingest_file(path)
        for r in results:
            log.info("load summary: %s", r)
        failed = [r for r in results if r.get("status") == "failed"]
        if failed:  # bad data: LoadFailed is not retried (see sockpuppet.dag_defaults)
            raise LoadFailed(
                "; ".join(f"{r.get('source', path)}: {r.get('message')}" for r in failed)
            )
        return results

    @task(outlets=CORE, trigger_rule=TriggerRule.ALL_DONE)
    def mark_core_tables(loaded: list[list[dict]]) -> int:
        from airflow.sdk.exceptions import AirflowSkipException

        loaded = loaded[:]  # one request for the successful loads' results (failed ones have none)
        rows = sum(r.get("rows_loaded") or 0 for results in loaded for r in results)
        live = [r for results in loaded for r in results if r.get("status") == "loaded"]
        if not live:
            raise AirflowSkipException("nothing was loaded: core tables unchanged")
        log.info("%d file(s) loaded, %d rows: marking %s", len(live), rows, [a.name for a in CORE])
        return rows

    @task
    def report_loads(loaded: list[list[dict]]) -> dict:
        results = [r for per_file in loaded[:] for r in per_file]
        summary = {
            "files": len(results),
            "rows_loaded": sum(r.get("rows_loaded") or 0 for r in results),
            "rows_quarantined": sum(r.get("rows_quarantined") or 0 for r in results),
        }
        log.info("ingest summary: %s", summary)
        return summary

    loaded = load_file.expand(path=find_new_files())
    mark_core_tables(loaded)
    report_loads(loaded)


ingest_archives()
