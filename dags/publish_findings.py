"""Publish views, exports and the report when the detection tables change.

Publishes the findings (`pipeline.publish`): the analyst views `v_*`, the exports and the report,
in a new run folder under `SOCKPUPPET_OUT` (default `published/`). Runs when `detect_operators`
marks the detection tables' Assets. Writes the views, so it takes the `duckdb_writer` slot.
"""

from __future__ import annotations

import logging

from airflow.sdk import dag, task

from sockpuppet.assets import DETECTION, FINDINGS
from sockpuppet.dag_defaults import DEFAULT_ARGS, START_DATE, WRITER_POOL

log = logging.getLogger(__name__)


@dag(
    dag_id="publish_findings",
    doc_md=__doc__,
    schedule=DETECTION,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["sockpuppet", "publish", "writer"],
)
def publish_findings():
    @task(pool=WRITER_POOL, outlets=[FINDINGS])
    def publish() -> str:
        from sockpuppet import pipeline

        run_dir = str(pipeline.publish())
        log.info("published: %s", run_dir)
        return run_dir

    publish()


publish_findings()
