"""Loading one source file into the core tables: stage, validate, publish in one transaction.

Per file: sha256 → skip if that content is already loaded → detect the layout from the header →
stage the CSV as text (DuckDB's rejects tables catch unparseable records) → type and check rows in
SQL (bad rows get a reason) → one transaction that replaces any earlier load of the same source,
inserts posts, entities and accounts, runs Great Expectations on those uncommitted rows, adds
quarantine and the `loads` row, and commits. A crash, kill or failed suite leaves nothing.

The io-archive layout stages through views over the raw text (sql/load/io_tweets/): a 5M-tweet
file is held once, not once raw and again typed (half the memory, far less spilling).
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from sockpuppet.errors import ArchiveError, LayoutError, SockpuppetError
from sockpuppet.load.layouts import Layout, detect_layout, expected_headers, parse_header
from sockpuppet.load.lines import (
    accepted_before,
    newlines_through,
    physical_lines,
    true_records,
)
from sockpuppet.load.progress import FileProgress, QueryProgress
from sockpuppet.load.sources import Source, discover, materialise, read_header
from sockpuppet.settings import Settings
from sockpuppet.warehouse import connect, fetch_all, run_script, scalar, sql_text, transaction

log = logging.getLogger(__name__)

QUARANTINE_COLUMNS = ["load_id", "source_key", "line", "record", "reason", "raw"]

# Per layout (its folder in sql/load/): the statements that build staged core-table rows, as
# (statement, staged temp table, core table), in publish order.
STAGING = {
    "io_tweets": (("posts", "staged_posts", "posts"),
                  ("entities", "staged_post_entities", "post_entities"),
                  ("accounts", "staged_accounts", "accounts")),
    "io_users": (("accounts", "staged_accounts", "accounts"),),
    "ira_csv": (("posts", "staged_posts", "posts"),
                ("entities", "staged_post_entities", "post_entities"),
                ("accounts", "staged_accounts", "accounts")),
    "share_events": (("posts", "staged_posts", "posts"),
                     ("entities", "staged_post_entities", "post_entities"),
                     ("accounts", "staged_accounts", "accounts")),
}


class _Clock:
    """Records the seconds since the previous call under a step name."""

    def __init__(self, into: dict[str, float]):
        self.into, self.last = into, time.perf_counter()

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.into[step] = round(self.into.get(step, 0.0) + now - self.last, 3)
        self.last = now


def _run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]) -> None:
    """Run sql/<name>.sql with the parameters its statements name."""
    run_script(con, sql_text(name), params)


@dataclass
class LoadResult:
    source: str
    layout: str
    status: str  # loaded, skipped, failed
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    load_id: int | None = None
    sha256: str = ""
    message: str = ""
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step

    def as_dict(self) -> dict:
        return asdict(self)


def ingest_paths(paths: list[Path], fmt: str, settings: Settings) -> list[LoadResult]:
    """Load every source under ``paths``; one failing file does not stop the others."""
    sources = discover(paths)
    if not sources:
        raise ArchiveError(
            "no archive files found in " + ", ".join(str(p) for p in paths)
            + " (looked for .csv, .csv.gz and .zip)"
        )
    # Great Expectations takes seconds to import and start: do it while DuckDB reads.
    threading.Thread(target=_prewarm_validation, daemon=True).start()
    con = connect(settings.warehouse_path, settings=settings)
    try:
        results = []
        with FileProgress(len(sources)) as progress:
            for source in sources:
                progress.start(source.key)
                result = load_source(con, source, fmt, settings)
                progress.done(result)
                results.append(result)
        return results
    finally:
        con.close()


def _prewarm_validation() -> None:
    from sockpuppet.load.validate import warm_up

    warm_up()


def find_new_files(landing: Path, settings: Settings) -> list[Path]:
    """Files (or zips) under ``landing`` holding content that is not loaded yet."""
    if not landing.exists():
        return []
    con = connect(settings.warehouse_path, settings=settings)
    try:
        known = {r[0] for r in fetch_all(con, sql_text("ledger/loaded_hashes"))}
    finally:
        con.close()
    new: dict[Path, None] = {}
    workdir = _workdir(settings)
    try:
        for source in discover([landing]):
            if source.member is not None:
                # Judge a zip by its members' content: extract each once to hash it.
                try:
                    _, digest = materialise(source, workdir)
                except ArchiveError:
                    new[source.path] = None  # let the load task report the damage
                    continue
            else:
                _, digest = materialise(source, workdir)
            if digest not in known:
                new[source.path] = None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return list(new)


def _workdir(settings: Settings) -> Path:
    base = settings.temp_directory or settings.warehouse_path.parent / ".staging"
    return Path(base) / f"extract-{time.time_ns()}"


def load_source(
    con: duckdb.DuckDBPyConnection, source: Source, fmt: str, settings: Settings
) -> LoadResult:
    started = datetime.now(UTC).replace(tzinfo=None)
    t0 = time.perf_counter()
    result = LoadResult(source=source.key, layout="?", status="failed")
    workdir = _workdir(settings)
    try:
        if source.problem:
            raise ArchiveError(f"{source.key}: {source.problem}")
        readable, result.sha256 = materialise(source, workdir)
        previous = fetch_all(con, sql_text("ledger/same_content"), {"sha256": result.sha256})
        if previous:
            load_id, key, result.layout = previous[0]
            result.status, result.load_id = "skipped", load_id
            result.message = (
                f"already loaded as load {load_id} (same sha256)"
                + ("" if key == source.key else f" from {key}")
            )
            return result
        header = read_header(readable, source.key)
        layout = detect_layout(parse_header(header), fmt)
        if layout is None:
            raise LayoutError(
                f"{source.key}: the header matches no {'known' if fmt == 'auto' else fmt} "
                f"layout.\n  found:\n    {header[:300]}\n  expected one of:\n"
                + expected_headers(fmt)
            )
        result.layout = layout.name
        _load(con, source, readable, layout, result, started, t0, settings)
    except KeyboardInterrupt:
        raise
    except (SockpuppetError, duckdb.Error) as exc:
        result.status = "failed"
        result.message = _user_message(exc)
        log.error("load of %s failed: %s", source.key, result.message)
        _record_failure(con, source, result, started)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        result.seconds = round(time.perf_counter() - t0, 3)
    return result


def _user_message(exc: Exception) -> str:
    if isinstance(exc, SockpuppetError):
        return str(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"DuckDB could not read the file: {text}"


def _stage(
    con: duckdb.DuckDBPyConnection, readable: Path, layout: Layout, label: str
) -> list[tuple[int, str, str]]:
    """Stage the file as text; returns the structural rejects (record, reason, raw)."""
    for table in ("sp_reject_errors", "sp_reject_scans"):
        con.execute(f"drop table if exists {table}")
    columns = {c: "VARCHAR" for c in layout.columns}
    with QueryProgress(con, f"reading {label}"):
        con.execute(sql_text("load/read_raw"), {"path": str(readable), "columns": columns})
    rejects = fetch_all(con, sql_text("load/rejects"))
    # DuckDB numbers a rejected record's "line" counting records, the header being line 1.
    return [(int(line) - 1, f"unparseable record: {reason}", raw) for line, reason, raw in rejects]


def _load(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    readable: Path,
    layout: Layout,
    result: LoadResult,
    started: datetime,
    t0: float,
    settings: Settings,
) -> None:
    from sockpuppet.load.validate import validate_rows, validate_staged

    clock = _Clock(result.timings)
    _clear_staging(con)  # a failed earlier load may have left some behind
    structural = _stage(con, readable, layout, source.name)
    clock("read")
    folder = layout.sql_name
    params: dict[str, object] = {}
    if layout.name == "ira-csv":
        run_script(con, sql_text("load/ira_csv/widen"))
        params["columns"] = len(layout.columns)
    elif layout.name == "share-events":
        run_script(con, sql_text("load/share_events/widen"))
        params["single"] = layout.variant == "share-single"
    load_id = int(scalar(con, sql_text("ledger/next_load_id")))
    result.load_id = load_id
    params["load_id"] = load_id
    with QueryProgress(con, f"typing {source.name}"):
        _run(con, f"load/{folder}/stage", params)
    clock("type")

    accepted, bad = (int(x) for x in fetch_all(con, sql_text("load/stage_counts"))[0])
    result.rows_read = accepted + bad + len(structural)
    result.rows_loaded = accepted
    result.rows_quarantined = bad + len(structural)
    value_rejects = _value_rejects(con, len(layout.columns))
    quarantine_rows = [
        (load_id, source.key, line, record, reason, raw)
        for record, line, reason, raw in _quarantine_rows(con, structural, value_rejects)
    ]
    clock("quarantine_lines")

    for statement, _, _ in STAGING[folder]:
        _run(con, f"load/{folder}/{statement}", params)
        clock(statement)

    validate_rows("quarantine", QUARANTINE_COLUMNS, quarantine_rows)
    load_row = {
        "load_id": load_id, "source_key": source.key, "path": str(source.path),
        "member": source.member, "sha256": result.sha256, "layout": layout.name,
        "release": source.release, "rows_read": result.rows_read,
        "rows_loaded": result.rows_loaded, "rows_quarantined": result.rows_quarantined,
        "status": "loaded", "message": None, "started_at": started,
        "finished_at": None, "seconds": None,
    }
    # One transaction: the rows are inserted, Great Expectations validates them (uncommitted,
    # so no reader sees them), and only then are they committed; a failure rolls all back.
    # Staged relations may be views over raw_stage: rows are typed and written once.
    with transaction(con):
        replaced = [r[0] for r in fetch_all(
            con, sql_text("ledger/previous_loads"), {"source_key": source.key})]
        if replaced:
            run_script(con, sql_text("ledger/retire_loads"),
                       {"load_ids": replaced, "new_load_id": load_id})
            result.message = f"replaced load {', '.join(map(str, replaced))} (file changed)"
        for _, staged, core in STAGING[folder]:
            # Table names come from STAGING above, never from input.
            con.execute(f"insert into {core} select * from {staged}")
        clock("insert")
        for _, _, core in STAGING[folder]:
            validate_staged(con, core, core, settings, load_id=load_id)
        clock("validate")
        if quarantine_rows:
            _insert_quarantine(con, quarantine_rows)
        load_row["message"] = result.message or None
        load_row["finished_at"] = datetime.now(UTC).replace(tzinfo=None)
        load_row["seconds"] = round(time.perf_counter() - t0, 3)
        validate_rows("loads", list(load_row), [tuple(load_row.values())])
        con.execute(sql_text("ledger/insert_load"), load_row)
    clock("publish")
    log.debug("timings for %s: %s", source.key, result.timings)
    result.status = "loaded"
    _clear_staging(con)


def _clear_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temp tables and views one file's load builds (views first)."""
    for name in (*{staged for steps in STAGING.values() for _, staged, _ in steps},
                 "stage", "typed_stage", "stage_rejects", "raw_stage"):
        _drop(con, name)


def _insert_quarantine(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Insert quarantine rows in one statement (executemany runs one insert per row)."""
    import pyarrow as pa

    kinds = (pa.int64(), pa.string(), pa.int64(), pa.int64(), pa.string(), pa.string())
    batch = pa.table({
        name: pa.array([r[i] for r in rows], type=kind)
        for i, (name, kind) in enumerate(zip(QUARANTINE_COLUMNS, kinds, strict=True))
    })
    con.register("quarantine_batch", batch)
    try:
        con.execute("insert into quarantine by name select * from quarantine_batch")
    finally:
        con.unregister("quarantine_batch")


def _drop(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a temp table or view by name, if it exists."""
    kinds = fetch_all(con, "select table_type from information_schema.tables "
                           "where table_name = ? and table_schema = 'main' "
                           "and table_catalog = 'temp'", [name])
    if kinds:
        kind = "view" if kinds[0][0] == "VIEW" else "table"
        con.execute(f"drop {kind} {name}")


def _value_rejects(con: duckdb.DuckDBPyConnection, width: int) -> list[tuple[int, str, str]]:
    """(ordinal, reason, raw) of staged records that failed a row check."""
    rejects = fetch_all(con, sql_text("load/value_rejects"))
    if not rejects:
        return []
    raws = dict(fetch_all(con, sql_text("load/raw_records"),
                          {"ordinals": [r for r, _ in rejects], "width": width}))
    return [(record, reason, raws.get(record, "")) for record, reason in rejects]


def _quarantine_rows(
    con: duckdb.DuckDBPyConnection,
    structural: list[tuple[int, str, str]],
    value_rejects: list[tuple[int, str, str]],
) -> list[tuple[int, int | None, str, str]]:
    """(record, line, reason, raw) for every record not loaded, in file order."""
    rejected = [r for r, _, _ in structural]
    records = true_records([k for k, _, _ in value_rejects], rejected)
    rows = [(r, reason, raw) for r, reason, raw in structural]
    rows += [(records[k], reason, raw) for k, reason, raw in value_rejects]
    if not rows:
        return []
    wanted = sorted({k for k in accepted_before([r for r, _, _ in rows], rejected) if k > 0})
    newlines = (
        newlines_through(wanted, [(int(o), int(n)) for o, n in fetch_all(
            con, sql_text("load/newlines"))]) if wanted else {}
    )
    lines = physical_lines(
        [r for r, _, _ in rows],
        {r: (raw or "").rstrip("\n").count("\n") for r, _, raw in structural},
        newlines,
    )
    return sorted((r, lines.get(r), reason, raw) for r, reason, raw in rows)


def _record_failure(
    con: duckdb.DuckDBPyConnection, source: Source, result: LoadResult, started: datetime
) -> None:
    """Note a failed load in `loads` (its own small transaction; no core rows were written)."""
    try:
        con.execute("rollback")
    except duckdb.Error:
        pass  # no transaction was open
    load_id = result.load_id or int(scalar(con, sql_text("ledger/next_load_id")))
    result.load_id = load_id
    con.execute(sql_text("ledger/insert_load"), {
        "load_id": load_id, "source_key": source.key, "path": str(source.path),
        "member": source.member, "sha256": result.sha256 or "", "layout": result.layout,
        "release": source.release, "rows_read": result.rows_read, "rows_loaded": 0,
        "rows_quarantined": 0, "status": "failed", "message": result.message,
        "started_at": started, "finished_at": datetime.now(UTC).replace(tzinfo=None),
        "seconds": None,
    })
