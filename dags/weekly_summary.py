"""Publish the weekly summary export, whether or not anything changed.

Every Monday at 06:00 UTC, publishes the findings (`pipeline.publish`: views, exports, report)
whether or not anything changed during the week, so readers get a dated summary on a fixed day.
Takes the `duckdb_writer` slot like every task that writes the warehouse.
"""

from __future__ import annotations

import logging

from airflow.sdk import dag, task

from sockpuppet.assets import FINDINGS
from sockpuppet.dag_defaults import DEFAULT_ARGS, START_DATE, WRITER_POOL

log = logging.getLogger(__name__)


@dag(
    dag_id="weekly_summary",
    doc_md=__doc__,
    schedule="0 6 * * 1",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["sockpuppet", "publish", "writer", "weekly"],
)
def weekly_summary():
    @task(pool=WRITER_POOL, outlets=[FINDINGS])
    def publish_summary() -> str:
        from sockpuppet import pipeline

        run_dir = str(pipeline.publish())
        log.info("weekly summary published: %s", run_dir)
        return run_dir

    publish_summary()


weekly_summary()
