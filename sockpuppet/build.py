"""The build stage: core tables -> derived tables (timelines, profiles, co-activity).

I/O lives here; the logic is in ``transforms/`` (pure polars). The unit of work is a
*partition* = one co-activity period (``settings.period``, calendar month by default):

- ``build_partitions(settings)`` lists the periods that have live posts ('YYYY-MM-DD' starts);
- ``build_partition(p, settings)`` reads (via Arrow) the live posts and entities of period ``p``
  plus one co-activity window before it, derives every partition-local table and writes them as
  parquet under ``settings.build_dir / p`` (read-only on the warehouse, so partitions can run in
  parallel processes); it owns the pairs whose *later* event falls in ``p``;
- ``merge_partitions(parts, settings)`` loads partition outputs into the warehouse, one
  transaction per table (delete the periods, insert; or drop and recreate on a full rebuild), then
  recomputes ``account_profile`` from ``account_timeline``;
- ``build(settings, partitions=None)`` does all of it (every partition and a full replace when
  ``partitions`` is None) and returns row counts and timings.

Processing one period at a time bounds memory by the largest period, not the archive (scale);
``derive`` on the whole data in one call gives exactly the same rows (tests/build prove it).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from sockpuppet.settings import Settings, get_settings
from sockpuppet.warehouse import connect, fetch_all, run_script, sql_text, transaction
from transforms.account_behavior_counts import account_behavior_counts
from transforms.account_profile import account_profile
from transforms.account_timeline import account_timeline
from transforms.coactivity_events import (
    BEHAVIORS,
    CoactivityParams,
    behavior_coactivity,
    behavior_events,
)
from transforms.coactivity_stats import coactivity_stats

log = logging.getLogger(__name__)

# Tables whose rows belong to one period (written per partition, merged by delete-insert).
PERIOD_TABLES = (
    "coactivity_events",
    "coactivity_pairs",
    "target_popularity",
    "account_behavior_counts",
    "coactivity_stats",
)
PARTITION_TABLES = ("account_timeline", *PERIOD_TABLES)
DERIVED_TABLES = (*PARTITION_TABLES, "account_profile")
_PARTITION_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")  # only such folders are ever deleted


# --- reading (the I/O edge) ----------------------------------------------------------------


def _frame(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> pl.DataFrame:
    # DuckDB hands Arrow to polars without a pandas detour; the relation is fully consumed.
    return con.sql(sql_text(name), params=params).pl()


def read_core(
    con: duckdb.DuckDBPyConnection,
    start: datetime | None = None,
    end: datetime | None = None,
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Live, de-duplicated posts and entities posted in [start, end) as lazy frames."""
    bounds = {"start": start, "end": end}
    posts = _frame(con, "build/live_posts", bounds)
    entities = _frame(con, "build/live_entities", bounds)
    return posts.lazy(), entities.lazy()


def read_accounts(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    return _frame(con, "build/live_accounts", {}).lazy()


# --- the transforms, wired (pure) --------------------------------------------------------------


def derive_tables(
    posts: pl.LazyFrame,
    entities: pl.LazyFrame,
    params: CoactivityParams,
    keep_from: datetime | None = None,
    behaviors: Sequence[str] = BEHAVIORS,
) -> Iterator[tuple[str, pl.DataFrame]]:
    """Yield ``(table, frame)`` for every partition-local table, one behaviour at a time.

    With ``keep_from`` only rows owned by the period starting there are produced (``posts`` and
    ``entities`` must then cover one maximal window before it). Yielding per behaviour lets the
    caller write each piece before the next is computed (peak memory: one behaviour's pairs).
    """
    yield "account_timeline", account_timeline(posts, entities, keep_from).collect()
    for behavior in behaviors:
        events = behavior_events(behavior, posts, entities, params).collect()
        res = behavior_coactivity(behavior, events, params, keep_from)
        ev_lazy = events.lazy()
        yield "coactivity_events", res.evidence
        yield "coactivity_pairs", res.pairs
        yield "target_popularity", res.popularity
        yield "account_behavior_counts", account_behavior_counts(
            ev_lazy, behavior, params.period, keep_from
        ).collect()
        yield "coactivity_stats", coactivity_stats(
            behavior,
            ev_lazy,
            res.evidence.lazy(),
            res.pairs.lazy(),
            res.capped_t,
            params.period,
            keep_from,
            res.weak.lazy(),
        ).collect()


def derive(
    posts: pl.LazyFrame,
    entities: pl.LazyFrame,
    accounts: pl.LazyFrame | None,
    params: CoactivityParams,
    silence_days: float = 30.0,
) -> dict[str, pl.DataFrame]:
    """Every derived table over all the data in one call (the unpartitioned reference)."""
    parts: dict[str, list[pl.DataFrame]] = {}
    for table, frame in derive_tables(posts, entities, params):
        parts.setdefault(table, []).append(frame)
    out = {table: pl.concat(frames) for table, frames in parts.items()}
    if accounts is not None:
        out["account_profile"] = account_profile(
            out["account_timeline"].lazy(), accounts, silence_days
        ).collect()
    return out


# --- partitions ----------------------------------------------------------------------------------


def partition_bounds(partition: str, period: str) -> tuple[datetime, datetime]:
    start = datetime.combine(date.fromisoformat(partition), datetime.min.time())
    end = pl.Series([start]).dt.offset_by(period).item()
    return start, end


def _params(settings: Settings) -> CoactivityParams:
    return CoactivityParams.from_settings(settings)


def _reader(settings: Settings, con: duckdb.DuckDBPyConnection | None) -> tuple[Any, bool]:
    if con is not None:
        return con, False
    return connect(settings.warehouse_path, read_only=True, settings=settings), True


def build_partitions(
    settings: Settings | None = None, con: duckdb.DuckDBPyConnection | None = None
) -> list[str]:
    """List the periods ('YYYY-MM-DD' of their start) that have live posts, oldest first."""
    settings = settings or get_settings()
    con, owned = _reader(settings, con)
    try:
        days = [r[0] for r in fetch_all(con, sql_text("build/post_days"))]
    finally:
        if owned:
            con.close()
    if not days:
        return []
    periods = pl.Series("day", days, dtype=pl.Date).dt.truncate(settings.period).unique().sort()
    return [d.isoformat() for d in periods.to_list()]


def partition_dir(partition: str, settings: Settings) -> Path:
    return Path(settings.build_dir) / partition


def build_partition(
    partition: str,
    settings: Settings | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> str:
    """Derive the partition-local tables of one period as parquet files; return the folder."""
    settings = settings or get_settings()
    params = _params(settings)
    t0 = time.perf_counter()
    start, end = partition_bounds(partition, settings.period)
    # One window of the previous period: its events are the earlier side of pairs we own.
    read_from = start - timedelta(seconds=params.max_window_s)
    con, owned = _reader(settings, con)
    try:
        posts, entities = read_core(con, read_from, end)
    finally:
        if owned:
            con.close()
    t_read = time.perf_counter() - t0
    out = partition_dir(partition, settings)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    rows: dict[str, int] = {}
    for i, (table, frame) in enumerate(derive_tables(posts, entities, params, keep_from=start)):
        (tmp / table).mkdir(parents=True, exist_ok=True)
        # lz4: these files live minutes (until the merge); writing speed beats size here.
        frame.write_parquet(tmp / table / f"{i:03d}.parquet", compression="lz4")
        rows[table] = rows.get(table, 0) + frame.height
    stats = {
        "partition": partition,
        "rows": rows,
        "read_s": round(t_read, 3),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    (tmp / "stats.json").write_text(json.dumps(stats), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)  # a partition folder is complete or absent
    log.info("built partition %s: %s", partition, stats)
    return str(out)


def _part_dirs(parts: Sequence[str], settings: Settings) -> list[Path]:
    dirs = []
    for p in parts:
        path = Path(p)
        dirs.append(path if path.is_dir() else partition_dir(p, settings))
    return dirs


def merge_partitions(
    parts: Sequence[str],
    settings: Settings | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    replace_all: bool | None = None,
) -> dict[str, Any]:
    """Load partition outputs (folders or partition names) into the warehouse.

    Each table is replaced in one transaction: with ``replace_all`` the table is dropped and
    recreated from these partitions; otherwise only their periods are deleted and re-inserted
    (re-running a partition never duplicates rows). ``replace_all=None`` (the DAG's call) replaces
    everything when ``parts`` cover every current partition, so periods that lost their posts
    disappear too. ``account_profile`` is then recomputed from the whole ``account_timeline``.
    """
    settings = settings or get_settings()
    t0 = time.perf_counter()
    dirs = _part_dirs(parts, settings)
    own = con is None
    con = con or connect(settings.warehouse_path, settings=settings)
    try:
        if replace_all is None:
            replace_all = {d.name for d in dirs} >= set(build_partitions(settings, con))
        bounds = [partition_bounds(d.name, settings.period) for d in dirs]
        for table in PARTITION_TABLES:
            files = sorted(str(f) for d in dirs for f in (d / table).glob("*.parquet"))
            with transaction(con):
                if replace_all:
                    con.execute(f"drop table if exists {table}")
                run_script(con, sql_text(f"derived/{table}"))
                if not replace_all:
                    column = "day" if table == "account_timeline" else "period"
                    for start, end in bounds:
                        con.execute(
                            f"delete from {table} where {column} >= ? and {column} < ?",
                            [start.date(), end.date()],
                        )
                if files:
                    con.execute(
                        f"insert into {table} by name select * from read_parquet(?)", [files]
                    )
        with transaction(con):
            _write_profile(con, settings)
        counts = {t: int(fetch_all(con, f"select count(*) from {t}")[0][0]) for t in DERIVED_TABLES}
        by_behavior = fetch_all(
            con, "select behavior, sum(capped), sum(weak_pairs) from coactivity_stats group by 1"
        )
    finally:
        if own:
            con.close()
    return {
        "rows": counts,
        "capped": {b: int(c) for b, c, _ in by_behavior},
        "weak_pairs": {b: int(w) for b, _, w in by_behavior},
        "seconds": round(time.perf_counter() - t0, 3),
    }


def _write_profile(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    # Only the columns the profile reads: the timeline's list columns are most of its size.
    timeline = con.sql(sql_text("build/profile_input")).pl().lazy()
    profile = account_profile(timeline, read_accounts(con), settings.silence_days).collect()
    con.execute("drop table if exists account_profile")
    run_script(con, sql_text("derived/account_profile"))
    con.register("profile_frame", profile)
    try:
        con.execute("insert into account_profile by name select * from profile_frame")
    finally:
        con.unregister("profile_frame")


def build(settings: Settings | None = None, partitions: Sequence[str] | None = None) -> dict:
    """Build every derived table (``partitions=None``: all periods, full replace)."""
    settings = settings or get_settings()
    t0 = time.perf_counter()
    connect(settings.warehouse_path, settings=settings).close()  # the file and core schema exist
    todo = list(partitions) if partitions is not None else build_partitions(settings)
    timings: dict[str, float] = {}
    for p in todo:
        # Each partition opens and closes its own read-only connection, so DuckDB's buffer pool
        # is released before polars works on the frames (peak memory = one partition, scale).
        t = time.perf_counter()
        build_partition(p, settings)
        timings[p] = round(time.perf_counter() - t, 3)
    merged = merge_partitions(todo, settings, replace_all=True if partitions is None else None)
    if partitions is None:  # a full build drops the partition folders of periods now gone
        for stale in Path(settings.build_dir).glob("*"):
            name = stale.name.removesuffix(".tmp")
            if stale.is_dir() and _PARTITION_NAME.fullmatch(name) and name not in todo:
                shutil.rmtree(stale, ignore_errors=True)
    return {
        "partitions": len(todo),
        "rows": merged["rows"],
        "capped": merged["capped"],
        "weak_pairs": merged["weak_pairs"],
        "partition_seconds": timings,
        "merge_seconds": merged["seconds"],
        "seconds": round(time.perf_counter() - t0, 3),
    }


def pair_evidence(
    con: duckdb.DuckDBPyConnection, a: str, b: str, behavior: str | None = None
) -> pl.DataFrame:
    """Every co-action of accounts ``a`` and ``b`` (any order), with both posts' text."""
    return con.sql(
        sql_text("build/pair_evidence"), params={"a": a, "b": b, "behavior": behavior}
    ).pl()
