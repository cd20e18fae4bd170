"""Task defaults every DAG in ``dags/`` shares: retries with backoff, the writer pool, tags.

Pure module (``airflow.sdk`` and the standard library only) so DAG files stay cheap to parse.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import ExceptionRetryPolicy, RetryAction, RetryRule

from sockpuppet.errors import SockpuppetError

# DuckDB allows one writer per file: every task that writes the warehouse runs in this
# one-slot pool (created by `make airflow`, airflow-init in docker-compose.yml, and the tests).
WRITER_POOL = "duckdb_writer"
WRITER_POOL_DESCRIPTION = "DuckDB allows one writer: tasks that write the warehouse take this slot"

START_DATE = datetime(2024, 1, 1, tzinfo=UTC)


class LoadFailed(SockpuppetError):
    """The loader recorded a failed load (unreadable file, unknown layout, failed validation)."""


# A bad archive or a failed validation fails the same way on every try: fail at once and say
# why. Anything else (the warehouse lock held by a reader, a full disk, a lost worker) is
# retried with exponential backoff: 30 s, 1 min, 2 min, capped at 10 min.
NO_RETRY_ON_BAD_DATA = ExceptionRetryPolicy(
    rules=[
        RetryRule(
            exception=[
                "sockpuppet.errors.LayoutError",
                "sockpuppet.errors.ArchiveError",
                "sockpuppet.errors.ValidationFailed",
                LoadFailed,
            ],
            action=RetryAction.FAIL,
            reason="bad input data: retrying cannot help, fix or remove the file",
        ),
    ],
)

DEFAULT_ARGS = {
    "owner": "sockpuppet",
    "retries": 3,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=10),
    "retry_policy": NO_RETRY_ON_BAD_DATA,
}
