"""Derive timelines, profiles and co-activity pairs, one mapped task per time partition.

Derives the per-account timelines and profiles and the co-activity pair tables from the core
tables. Runs when `ingest_archives` marks the core tables' Assets.

1. **build_partitions** lists the time partitions to build (`pipeline.build_partitions`).
2. **build_partition** is mapped, one task per partition: it reads the core tables and writes
   one Parquet partition. It does not write the warehouse, so partitions build in parallel
   (on as many workers as there are; `max_active_tasks` caps them on one machine).
3. **merge_partitions** writes the derived tables from the partitions in one transaction, in the
   one-slot `duckdb_writer` pool, and marks their Assets, which starts `detect_operators`.
"""

from __future__ import annotations

import logging

from airflow.sdk import dag, task

from sockpuppet.assets import CORE, DERIVED
from sockpuppet.dag_defaults import DEFAULT_ARGS, START_DATE, WRITER_POOL

log = logging.getLogger(__name__)


@dag(
    dag_id="build_coactivity",
    doc_md=__doc__,
    schedule=CORE,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["sockpuppet", "build", "writer"],
)
def build_coactivity():
    @task
    def build_partitions() -> list[str]:
        from sockpuppet import pipeline

        partitions = pipeline.build_partitions()
        log.info("%d partition(s) to build: %s", len(partitions), partitions)
        return partitions

    @task(map_index_template="{{ partition }}")
    def build_partition(partition: str) -> str:
        from airflow.sdk import get_current_context

        from sockpuppet import pipeline

        get_current_context()["partition"] = partition  # names the mapped task in the UI
        written = pipeline.build_partition(partition)
        log.info("partition %s written: %s", partition, written)
        return written

    @task(pool=WRITER_POOL, outlets=DERIVED)
    def merge_partitions(parts: list[str]) -> dict:
        from sockpuppet import pipeline

        summary = pipeline.merge_partitions(parts[:])  # the mapped results, in partition order
        log.info("build summary: %s", summary)
        return summary

    merge_partitions(build_partition.expand(partition=build_partitions()))


build_coactivity()
