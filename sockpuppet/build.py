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
  ``partitions`` is None) and returns row counts and timings. Periods run side by side
  (``build_workers``; one in this process, the others in worker processes) while two of them fit
  in ``build_memory_gb``, else one at a time.

Processing one period at a time bounds memory by the largest period, not the archive (scale);
``derive`` on the whole data in one call gives exactly the same rows (tests/build prove it).
Inside a partition account ids are coded to integers once (``transforms.codes``) and every
table is computed on the codes; the timeline is cut by account ranges and the co-action pairs
by account_a ranges when they are large (memory at scale).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from queue import Empty, Queue
from typing import Any

import duckdb
import polars as pl

from sockpuppet.settings import Settings, get_settings
from sockpuppet.warehouse import connect, fetch_all, run_script, sql_text, transaction
from transforms.account_behavior_counts import account_behavior_counts
from transforms.account_profile import account_profile
from transforms.account_timeline import timeline_chunks
from transforms.behaviors import BEHAVIORS
from transforms.coactivity_events import CoactivityParams, coactivity
from transforms.coactivity_stats import coactivity_stats
from transforms.codes import CoreFrames, encode_core
from transforms.targets import coded_events

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
# Read only through aggregates (account_profile; group-bys), never in stored order.
_ANY_ORDER = ("account_timeline", "account_behavior_counts")
_FLUSH_ROWS = 200_000  # pending rows of one table written as one parquet file
_TIMELINE_CHUNK_POSTS = 1_000_000  # posts per account_timeline piece (memory at scale)
# Peak memory of one partition per post of its period (measured: ~1.5 kB at 1M-5M posts).
_PEAK_BYTES_PER_POST = 1_600
# Side-by-side partitions run in worker processes from this many posts (a spawned worker costs
# ~1 s of imports), in threads below.
_PROCESS_MIN_POSTS = 500_000
# A worker runs one polars (and OpenBLAS) thread: side by side with this process's lane on two
# cores, a second pool thread only splits the same CPU and adds its own overhead (measured at
# 1M posts: ~8% less CPU for the same partitions with one thread).
_WORKER_ENV = {"POLARS_MAX_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
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
    post_loads, entity_loads = fetch_all(con, sql_text("build/live_loads"), bounds)[0]
    posts = _frame(con, "build/live_posts", {**bounds, "dedupe": post_loads > 1})
    entities = _frame(con, "build/live_entities", {**bounds, "dedupe": entity_loads > 1})
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
    Account ids are coded to integers once (``transforms.codes``) and shared by every table.
    """
    yield from derive_core(
        encode_core(posts.collect(), entities.collect()), params, keep_from, behaviors
    )


def derive_core(
    core: CoreFrames,
    params: CoactivityParams,
    keep_from: datetime | None = None,
    behaviors: Sequence[str] = BEHAVIORS,
) -> Iterator[tuple[str, pl.DataFrame]]:
    """``derive_tables`` of account-coded frames (``transforms.codes.encode_core``)."""
    for frame in timeline_chunks(core, keep_from, _TIMELINE_CHUNK_POSTS):
        yield "account_timeline", frame
    # The behaviours read only these columns (memory: names and clients are most of a post).
    core = CoreFrames(
        core.posts.select("post_id", "acc", "posted_at", "kind", "text", "target_key"),
        core.entities.filter(pl.col("entity_type").is_in(["url", "hashtag"])).select(
            "post_id", "acc", "posted_at", "entity_type", "value"
        ),
        core.accounts,
    )
    for behavior in behaviors:
        ev = coded_events(behavior, core, params.text_min_words)
        res = coactivity(behavior, ev, params, keep_from)
        # Counts and stats only count: they read the codes (acc, grp), never the strings.
        ev_lazy = ev.frame.lazy().select(
            pl.col("acc").alias("account_id"), pl.col("grp").alias("target"), "t"
        )
        yield "coactivity_events", res.evidence
        yield "coactivity_pairs", res.pairs
        yield "target_popularity", res.popularity
        counts = res.counts
        if counts is None:
            counts = account_behavior_counts(ev_lazy, behavior, params.period, keep_from).collect()
        yield "account_behavior_counts", counts.with_columns(
            core.accounts.gather(counts.get_column("account_id"))
        )
        yield "coactivity_stats", coactivity_stats(
            behavior,
            ev_lazy,
            res.evidence.lazy(),
            res.pairs.lazy(),
            res.capped_t,
            params.period,
            keep_from,
            res.weak.lazy(),
            res.inputs.lazy() if res.inputs is not None else None,
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
    core = encode_core(posts.collect(), entities.collect())
    del posts, entities  # the archive's account ids now live once, in core.accounts
    t_read = time.perf_counter() - t0
    out = partition_dir(partition, settings)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    rows: dict[str, int] = {}
    pending: dict[str, list[pl.DataFrame]] = {}
    files = 0

    def flush(table: str) -> None:
        nonlocal files
        frames = pending.pop(table, [])
        if not frames:
            return
        (tmp / table).mkdir(parents=True, exist_ok=True)
        # lz4, no statistics: these files live minutes (until the merge), which reads them whole.
        pl.concat(frames, how="vertical_relaxed").write_parquet(
            tmp / table / f"{files:03d}.parquet", compression="lz4", statistics=False
        )
        files += 1

    tables = derive_core(core, params, keep_from=start, behaviors=settings.build_behaviors)
    del core  # the generator holds the only reference: it can drop what it no longer needs
    for table, frame in tables:
        # Small pieces are written together (a parquet write has a fixed cost); big ones at once.
        pending.setdefault(table, []).append(frame)
        rows[table] = rows.get(table, 0) + frame.height
        if sum(f.height for f in pending[table]) >= _FLUSH_ROWS:
            flush(table)
    for table in list(pending):
        flush(table)
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
        profile = _start_profile(con, dirs, settings) if replace_all else None
        for table in PARTITION_TABLES:
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
                _insert(con, table, _files(dirs, table))
        return _finish(con, settings, profile, t0)
    finally:
        if own:
            con.close()


def _files(dirs: Sequence[Path], table: str) -> list[str]:
    return sorted(str(f) for d in dirs for f in (d / table).glob("*.parquet"))


def _insert(con: duckdb.DuckDBPyConnection, table: str, files: list[str]) -> None:
    if not files:
        return
    # Tables no reader takes in stored order are inserted by both threads at once (~2x faster
    # for the timeline's list columns); the others keep the files' order, so later stages see
    # the same rows in the same order.
    unordered = table in _ANY_ORDER
    if unordered:
        con.execute("set preserve_insertion_order = false")
    try:
        con.execute(f"insert into {table} by name select * from read_parquet(?)", [files])
    finally:
        if unordered:
            con.execute("reset preserve_insertion_order")


def _start_profile(
    con: duckdb.DuckDBPyConnection, dirs: Sequence[Path], settings: Settings
) -> Future[pl.DataFrame] | None:
    """Derive account_profile from these partitions' timeline files, in a thread (polars).

    Only for a full replace, where the new account_timeline is exactly these files, so DuckDB
    inserts the tables meanwhile.
    """
    files = _files(dirs, "account_timeline")
    if not files:
        return None
    accounts = read_accounts(con).collect()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="profile")
    future = pool.submit(_profile_from_files, files, accounts, settings.silence_days)
    pool.shutdown(wait=False)
    return future


def _finish(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    profile: Future[pl.DataFrame] | None,
    t0: float,
) -> dict[str, Any]:
    with transaction(con):
        _write_profile(con, settings, profile.result() if profile is not None else None)
    counts = {t: int(fetch_all(con, f"select count(*) from {t}")[0][0]) for t in DERIVED_TABLES}
    by_behavior = fetch_all(
        con, "select behavior, sum(capped), sum(weak_pairs) from coactivity_stats group by 1"
    )
    return {
        "rows": counts,
        "capped": {b: int(c) for b, c, _ in by_behavior},
        "weak_pairs": {b: int(w) for b, _, w in by_behavior},
        "seconds": round(time.perf_counter() - t0, 3),
    }


_PROFILE_INPUT = ["account_id", "day", "posts", "clients", "handles", "display_names",
                  "first_at", "last_at"]  # = sql/build/profile_input.sql


def _profile_from_files(
    files: list[str], accounts: pl.DataFrame, silence_days: float
) -> pl.DataFrame:
    timeline = pl.scan_parquet(files).select(_PROFILE_INPUT)
    return account_profile(timeline, accounts.lazy(), silence_days).collect()


def _write_profile(
    con: duckdb.DuckDBPyConnection, settings: Settings, profile: pl.DataFrame | None = None
) -> None:
    if profile is None:
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


def _timed_partition(partition: str, settings: Settings) -> float:
    t = time.perf_counter()
    build_partition(partition, settings)
    return round(time.perf_counter() - t, 3)


class _Worker:
    """A ``python -m sockpuppet.build`` process deriving the partitions it is sent, one at a time.

    Spawned fresh (no fork of a process holding polars' and DuckDB's threads, and no re-import
    of the caller's main module as multiprocessing's spawn does) and reused for the next
    partition, so its imports are paid once. Protocol: the settings as one JSON line, then one
    partition name per line on stdin; one JSON line per partition back on stdout.
    """

    def __init__(self, settings: Settings) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sockpuppet.build", "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **_WORKER_ENV},
        )
        self._send(settings.model_dump_json())

    def _send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def run(self, partition: str) -> float:
        self._send(partition)
        assert self.proc.stdout is not None
        reply = self.proc.stdout.readline()
        if not reply:
            raise RuntimeError(f"build worker exited ({self.proc.wait()}) on partition {partition}")
        answer = json.loads(reply)
        if "error" in answer:
            raise RuntimeError(f"partition {partition} failed in a worker:\n{answer['error']}")
        return float(answer["seconds"])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


def _worker_main() -> None:
    """Body of ``python -m sockpuppet.build --worker`` (see ``_Worker``)."""
    replies = sys.stdout
    sys.stdout = sys.stderr  # nothing but replies on the protocol stream
    settings = Settings.model_validate_json(sys.stdin.readline())
    for line in sys.stdin:
        partition = line.strip()
        try:
            answer: dict[str, Any] = {"seconds": _timed_partition(partition, settings)}
        except Exception:  # reported to the parent, which raises it
            answer = {"error": traceback.format_exc()}
        replies.write(json.dumps(answer) + "\n")
        replies.flush()


def _build_all(todo: Sequence[str], settings: Settings) -> dict[str, float]:
    """Run ``build_partition`` for every partition, up to ``settings.build_workers`` at a time.

    Each partition opens and closes its own read-only connection, so DuckDB's buffer pool is
    released before polars works on the frames. Memory: a partition peaks at about
    ``_PEAK_BYTES_PER_POST`` per post of its period, so partitions run side by side only when
    the two largest fit in ``build_memory_gb`` together; otherwise one at a time, in this
    process (the peak is one partition's at scale). Side by side, one lane derives in this
    process and each other lane in a worker process (``_Worker``): much of the numpy and polars
    work holds the GIL, so threads gained ~1.4x on two cores where processes gain ~1.7x, and
    this lane starts while the workers import. Tiny builds (tests) use threads, which start at
    no cost. The largest periods start first, so the last one running is a small one.
    """
    workers = min(settings.build_workers, len(todo))
    sizes = _partition_posts(settings) if workers > 1 else {}
    largest = sorted((sizes.get(p, 0) for p in todo), reverse=True)[:2]
    if workers <= 1 or sum(largest) * _PEAK_BYTES_PER_POST > settings.build_memory_gb * 2**30:
        return {p: _timed_partition(p, settings) for p in todo}
    order = sorted(todo, key=lambda p: -sizes.get(p, 0))
    if sum(sizes.get(p, 0) for p in todo) < _PROCESS_MIN_POSTS:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="build") as threads:
            done = dict(zip(order, threads.map(lambda p: _timed_partition(p, settings), order),
                            strict=True))
        return {p: done[p] for p in todo}
    queue: Queue[str] = Queue()
    for p in order:
        queue.put(p)
    timings: dict[str, float] = {}

    def drain(lane: int) -> None:
        # Lane 0 derives in this process (it starts at once; its GIL is its own, as the other
        # lanes only wait on their worker processes), the others in a worker each.
        worker = _Worker(settings) if lane else None
        try:
            while True:
                try:
                    p = queue.get_nowait()
                except Empty:
                    return
                timings[p] = worker.run(p) if worker else _timed_partition(p, settings)
        finally:
            if worker:
                worker.close()

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="build") as threads:
        for future in [threads.submit(drain, lane) for lane in range(workers)]:
            future.result()
    return {p: timings[p] for p in todo}


def _partition_posts(settings: Settings) -> dict[str, int]:
    """Live posts per partition (what the scheduling orders by)."""
    con = connect(settings.warehouse_path, read_only=True, settings=settings)
    try:
        rows = fetch_all(con, sql_text("build/post_days"))
    finally:
        con.close()
    if not rows:
        return {}
    days = pl.DataFrame({"day": [r[0] for r in rows], "posts": [r[1] for r in rows]},
                        schema={"day": pl.Date, "posts": pl.Int64})
    per = days.group_by(pl.col("day").dt.truncate(settings.period)).agg(pl.col("posts").sum())
    return {d.isoformat(): int(n) for d, n in per.iter_rows()}


def build(settings: Settings | None = None, partitions: Sequence[str] | None = None) -> dict:
    """Build every derived table (``partitions=None``: all periods, full replace)."""
    settings = settings or get_settings()
    t0 = time.perf_counter()
    connect(settings.warehouse_path, settings=settings).close()  # the file and core schema exist
    todo = list(partitions) if partitions is not None else build_partitions(settings)
    timings = _build_all(todo, settings)
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


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _worker_main()
