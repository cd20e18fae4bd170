"""The DuckDB warehouse: connecting (one writer at a time), the schema, and SQL files.

SQL lives in ``sql/``; code refers to a statement by its path without the suffix
(``sql_text("core/posts")``). DuckDB 2 keeps an unfinished result open on a connection, so
helpers here always fetch results completely.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from sockpuppet.errors import SockpuppetError
from sockpuppet.settings import SQL_DIR, Settings, get_settings

# Core tables in creation order (each file in sql/core/ is idempotent DDL).
CORE_TABLES = ("loads", "accounts", "posts", "post_entities", "quarantine")
CORE_SCRIPTS = (*CORE_TABLES, "macros")


class WarehouseBusy(SockpuppetError):
    """Another process holds the warehouse's write lock."""


@cache
def sql_text(name: str) -> str:
    """The text of ``sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect(
    path: Path | str | None = None,
    *,
    read_only: bool = False,
    settings: Settings | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, creating its folder and core schema when writing.

    DuckDB allows one read-write process per file; a second one gets :class:`WarehouseBusy`
    (after waiting ``busy_timeout_s``) instead of a raw lock error.
    """
    settings = settings or get_settings()
    target = Path(path) if path is not None else settings.warehouse_path
    if str(target) != ":memory:" and not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + settings.busy_timeout_s
    while True:
        try:
            con = duckdb.connect(str(target), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                holder = re.search(r"PID (\d+)", str(exc))
                who = f" (held by process {holder.group(1)})" if holder else ""
                raise WarehouseBusy(
                    f"warehouse is busy: {target} is open for writing by another process{who}. "
                    "Wait for it to finish (DuckDB allows one writer), or point --warehouse "
                    "elsewhere."
                ) from exc
            time.sleep(0.5)
    con.execute(f"set memory_limit = '{settings.memory_limit}'")
    con.execute(f"set threads = {int(settings.threads)}")
    # Track progress for our own bar/log lines (load/progress.py), never print DuckDB's.
    con.execute("set enable_progress_bar = true")
    con.execute("set enable_progress_bar_print = false")
    if settings.temp_directory is not None:
        con.execute("set temp_directory = ?", [str(settings.temp_directory)])
    if not read_only:
        # Each load (and each chunk of a large file) leaves its tables' last row group partly
        # filled. DuckDB's checkpoint vacuum merges and recompresses such groups: ~1 s for the
        # three IRA sample files (8% of their load), while queries over them ran as fast (within
        # 10%) without it. Row groups a reload or rebuild deletes whole are dropped regardless.
        con.execute("set max_vacuum_tasks = 0")
        apply_core_schema(con)
    return con


def apply_core_schema(con: duckdb.DuckDBPyConnection) -> None:
    for script in CORE_SCRIPTS:
        run_script(con, sql_text(f"core/{script}"))


def run_script(
    con: duckdb.DuckDBPyConnection, script: str, params: dict[str, Any] | None = None
) -> None:
    """Run every statement of a multi-statement SQL script.

    Each statement gets the named parameters it uses (DuckDB rejects unused ones).
    """
    for statement in con.extract_statements(script):
        used = {k: v for k, v in (params or {}).items() if k in statement.named_parameters}
        con.execute(statement, used or None)


def fetch_all(
    con: duckdb.DuckDBPyConnection, query: str, params: Sequence[Any] | dict[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    return con.execute(query, params).fetchall() if params is not None else con.execute(
        query
    ).fetchall()


def scalar(
    con: duckdb.DuckDBPyConnection, query: str, params: Sequence[Any] | dict[str, Any] | None = None
) -> Any:
    rows = fetch_all(con, query, params)
    return rows[0][0] if rows else None


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        scalar(
            con,
            "select count(*) from information_schema.tables where table_name = ?",
            [name],
        )
    )


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Commit on success, roll back on any error (including KeyboardInterrupt)."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")
