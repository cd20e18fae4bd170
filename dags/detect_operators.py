"""Detect shared-operator clusters and persona switches when the co-activity tables change.

Finds shared-operator clusters and persona switches (`pipeline.detect`) in the derived
co-activity tables. Runs when `build_coactivity` marks the derived tables' Assets; writes the
detection tables in one transaction, in the one-slot `duckdb_writer` pool, and marks their
Assets, which starts `publish_findings`.
"""

from __future__ import annotations

import logging

from airflow.sdk import dag, task

from sockpuppet.assets import DERIVED, DETECTION
from sockpuppet.dag_defaults import DEFAULT_ARGS, START_DATE, WRITER_POOL

log = logging.getLogger(__name__)


@dag(
    dag_id="detect_operators",
    doc_md=__doc__,
    schedule=DERIVED,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["sockpuppet", "detect", "writer"],
)
def detect_operators():
    @task(pool=WRITER_POOL, outlets=DETECTION)
    def detect() -> dict:
        from sockpuppet import pipeline

        summary = pipeline.detect()
        log.info("detect summary: %s", summary)
        return summary

    detect()


detect_operators()
