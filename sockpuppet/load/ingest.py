"""Loading one source file into the core tables: stage, validate, publish in one transaction.

Per file: sha256 → skip if that content is already loaded → detect the layout from the header →
stage the CSV as text (DuckDB's rejects tables catch unparseable records) → type and check rows in
SQL (bad rows get a reason) → one transaction that replaces any earlier load of the same source,
inserts posts, entities and accounts, runs Great Expectations on those uncommitted rows, adds
quarantine and the `loads` row, and commits. A crash, kill or failed suite leaves nothing.

The io-archive layout stages through views over the raw text (sql/load/io_tweets/): a file is
held once, not once raw and again typed. A tweets file larger than ``load_chunk_mb`` is cut into
record-aligned chunks in the pass that hashes it (sockpuppet/load/chunks.py), and staged, checked
and inserted chunk by chunk inside the file's one transaction, so memory is bounded by the chunk.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from sockpuppet.errors import ArchiveError, LayoutError, SockpuppetError
from sockpuppet.load.chunks import Scan, Span, Splitter, scan_file, write_chunks
from sockpuppet.load.layouts import Layout, detect_layout, expected_headers, parse_header
from sockpuppet.load.lines import (
    accepted_before,
    newlines_through,
    physical_lines,
    true_records,
)
from sockpuppet.load.progress import FileProgress, QueryProgress
from sockpuppet.load.sources import Source, discover, is_gzipped, materialise, read_header
from sockpuppet.settings import Settings
from sockpuppet.warehouse import connect, fetch_all, run_script, scalar, sql_text, transaction

log = logging.getLogger(__name__)

QUARANTINE_COLUMNS = ["load_id", "source_key", "line", "record", "reason", "raw"]


@dataclass(frozen=True)
class Steps:
    """How one layout's staged rows reach the core tables (statements in sql/load/<layout>/).

    ``per_chunk``: (statement, staged relation, core table) published after each chunk;
    ``collect``: statements that gather per chunk what ``final`` publishes once, at the end;
    ``chunked``: whether a large file may be staged in chunks (its row checks and gathered
    aggregates span chunks; the other layouts' files are small and staged whole).
    """

    per_chunk: tuple[tuple[str, str, str], ...]
    collect: tuple[str, ...] = ()
    final: tuple[tuple[str, str, str], ...] = ()
    chunked: bool = False

    @property
    def core_tables(self) -> list[str]:
        return [core for _, _, core in (*self.per_chunk, *self.final)]


_POSTS_ENTITIES_ACCOUNTS = (("posts", "staged_posts", "posts"),
                            ("entities", "staged_post_entities", "post_entities"),
                            ("accounts", "staged_accounts", "accounts"))
STAGING = {
    "io_tweets": Steps(per_chunk=_POSTS_ENTITIES_ACCOUNTS[:2], collect=("account_parts",),
                       final=_POSTS_ENTITIES_ACCOUNTS[2:], chunked=True),
    "io_users": Steps(per_chunk=(("accounts", "staged_accounts", "accounts"),)),
    "ira_csv": Steps(per_chunk=_POSTS_ENTITIES_ACCOUNTS),
    "share_events": Steps(per_chunk=_POSTS_ENTITIES_ACCOUNTS),
}
# Temp relations a load builds (views listed before the tables they read).
STAGED_RELATIONS = ("staged_posts", "staged_post_entities", "staged_accounts", "stage",
                    "typed_stage", "stage_rejects", "raw_stage", "account_parts", "seen_posts")


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
        readable, result.sha256, scan = _prepare(source, workdir, settings)
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
        try:
            _load(con, source, readable, layout, scan, result, started, t0, settings, workdir)
        except duckdb.InvalidInputException as exc:
            # DuckDB's strict parser stops a whole file at a carriage return inside an unquoted
            # field; the scan finds them, and the retry reads a copy with them stood in for.
            if scan is not None or "invalid state" not in str(exc):
                raise
            scan = scan_file(readable, _chunk_bytes(settings), source.key)
            if not scan.needs_copy:
                raise
            log.info("%s: carriage returns inside fields; reading a repaired copy", source.key)
            result.timings.clear()
            _load(con, source, readable, layout, scan, result, started, t0, settings, workdir)
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


def _chunk_bytes(settings: Settings) -> int:
    return max(1, int(settings.load_chunk_mb * (1 << 20)))


def _prepare(source: Source, workdir: Path, settings: Settings) -> tuple[Path, str, Scan | None]:
    """A path DuckDB can read, the sha256 of the source's bytes, and its spans if large.

    A file large enough to stage in chunks is split in the same pass that hashes it; a zip
    member, in the pass that extracts it.
    """
    chunk = _chunk_bytes(settings)
    if source.member is not None:
        splitter = Splitter(chunk)
        readable, digest = materialise(source, workdir, splitter.feed)
        return readable, digest, Scan(digest, *splitter.finish())
    try:
        size = source.path.stat().st_size
        gzipped = is_gzipped(source.path)
    except OSError as exc:
        raise ArchiveError(f"{source.key}: cannot read ({exc.strerror})") from exc
    # A gzipped CSV holds ~4x its size in text.
    if size > (chunk // 4 if gzipped else chunk):
        scan = scan_file(source.path, chunk, source.key)
        return source.path, scan.sha256, scan
    readable, digest = materialise(source, workdir)
    return readable, digest, None


def _user_message(exc: Exception) -> str:
    if isinstance(exc, SockpuppetError):
        return str(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"DuckDB could not read the file: {text}"


def _stage(
    con: duckdb.DuckDBPyConnection, readable: Path, layout: Layout, label: str,
    placeholder: str | None,
) -> list[tuple[int, str, str]]:
    """Stage the file as text; returns the structural rejects (record, reason, raw)."""
    for table in ("sp_reject_errors", "sp_reject_scans"):
        con.execute(f"drop table if exists {table}")
    columns = {c: "VARCHAR" for c in layout.columns}
    with QueryProgress(con, f"reading {label}"):
        con.execute(sql_text("load/read_raw"), {"path": str(readable), "columns": columns})
    if placeholder is not None:
        run_script(con, sql_text("load/restore_cr"), {"placeholder": placeholder})
    rejects = fetch_all(con, sql_text("load/rejects"))
    if placeholder is not None:
        rejects = [(line, reason, (raw or "").replace(placeholder, "\r"))
                   for line, reason, raw in rejects]
    # DuckDB numbers a rejected record's "line" counting records, the header being line 1.
    return [(int(line) - 1, f"unparseable record: {reason}", raw) for line, reason, raw in rejects]


def _chunks(
    readable: Path, scan: Scan | None, steps: Steps, workdir: Path
) -> tuple[int, Iterator[tuple[Path, Span | None, str | None]]]:
    """How many chunks, and each one's file, span (None: the file itself) and CR stand-in."""
    if scan is None or not scan.needs_copy:
        return 1, iter([(readable, None, None)])
    if not steps.chunked:
        scan = scan.whole()
    return len(scan.spans), write_chunks(readable, scan, workdir / "chunks")


@dataclass
class _Tally:
    """Running counts over a file's chunks."""

    records: int = 0  # records of the earlier chunks (parsed or not)
    staged: int = 0  # records DuckDB parsed (the ordinals of `stage`)
    accepted: int = 0
    quarantine: list[tuple] = field(default_factory=list)  # (line, record, reason, raw)


def _load(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    readable: Path,
    layout: Layout,
    scan: Scan | None,
    result: LoadResult,
    started: datetime,
    t0: float,
    settings: Settings,
    workdir: Path,
) -> None:
    from sockpuppet.load.validate import validate_rows, validate_staged

    clock = _Clock(result.timings)
    _clear_staging(con)  # a failed earlier load may have left some behind
    folder = layout.sql_name
    steps = STAGING[folder]
    load_id = int(scalar(con, sql_text("ledger/next_load_id")))
    result.load_id = load_id
    params: dict[str, object] = {"load_id": load_id}
    if layout.name == "ira-csv":
        params["columns"] = len(layout.columns)
    elif layout.name == "share-events":
        params["single"] = layout.variant == "share-single"
    tally = _Tally()
    # One transaction: earlier loads of the same source are retired, every chunk is staged,
    # checked and inserted, Great Expectations validates the inserted rows (uncommitted, so no
    # reader sees them), and only then is it committed; a failure rolls all of it back.
    with transaction(con):
        replaced = [r[0] for r in fetch_all(
            con, sql_text("ledger/previous_loads"), {"source_key": source.key})]
        if replaced:
            run_script(con, sql_text("ledger/retire_loads"),
                       {"load_ids": replaced, "new_load_id": load_id})
            result.message = f"replaced load {', '.join(map(str, replaced))} (file changed)"
        clock("retire")
        count, chunks = _chunks(readable, scan, steps, workdir)
        for i, (path, span, placeholder) in enumerate(chunks, start=1):
            label = source.name + (f" (part {i} of {count})" if count > 1 else "")
            _load_chunk(con, path, layout, steps, params, label, placeholder,
                        span.first_line if span else 2, tally, clock)
            if i < count:
                _run(con, f"load/{folder}/remember_posts", params)
                clock("remember")
        _publish(con, folder, steps.final, params, clock)
        result.rows_read = tally.records
        result.rows_loaded = tally.accepted
        result.rows_quarantined = tally.records - tally.accepted
        for core in steps.core_tables:
            validate_staged(con, core, core, settings, load_id=load_id)
        clock("validate")
        quarantine_rows = [(load_id, source.key, *row) for row in tally.quarantine]
        validate_rows("quarantine", QUARANTINE_COLUMNS, quarantine_rows)
        if quarantine_rows:
            _insert_quarantine(con, quarantine_rows)
        load_row = {
            "load_id": load_id, "source_key": source.key, "path": str(source.path),
            "member": source.member, "sha256": result.sha256, "layout": layout.name,
            "release": source.release, "rows_read": result.rows_read,
            "rows_loaded": result.rows_loaded, "rows_quarantined": result.rows_quarantined,
            "status": "loaded", "message": result.message or None, "started_at": started,
            "finished_at": datetime.now(UTC).replace(tzinfo=None),
            "seconds": round(time.perf_counter() - t0, 3),
        }
        validate_rows("loads", list(load_row), [tuple(load_row.values())])
        con.execute(sql_text("ledger/insert_load"), load_row)
    clock("publish")
    log.debug("timings for %s: %s", source.key, result.timings)
    result.status = "loaded"
    _clear_staging(con)


def _load_chunk(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    layout: Layout,
    steps: Steps,
    params: dict[str, object],
    label: str,
    placeholder: str | None,
    first_line: int,
    tally: _Tally,
    clock: _Clock,
) -> None:
    """Stage, check and insert one chunk (or the whole file); its quarantine rows join tally's."""
    folder = layout.sql_name
    con.execute("set variable sp_record_base = ?", [tally.staged])
    structural = _stage(con, path, layout, label, placeholder)
    clock("read")
    if layout.name == "ira-csv":
        run_script(con, sql_text("load/ira_csv/widen"))
    elif layout.name == "share-events":
        run_script(con, sql_text("load/share_events/widen"))
    run_script(con, sql_text("load/first_rowid"))
    with QueryProgress(con, f"typing {label}"):
        _run(con, f"load/{folder}/stage", params)
    clock("type")
    accepted, bad = (int(x) for x in fetch_all(con, sql_text("load/stage_counts"))[0])
    value_rejects = _value_rejects(con, len(layout.columns))
    # Record and line numbers within the chunk become the file's (the chunk's header line is
    # its line 1, so its first record is on line 2).
    tally.quarantine += [
        (None if line is None else line + first_line - 2, record + tally.records, reason, raw)
        for record, line, reason, raw in _quarantine_rows(con, structural, value_rejects)
    ]
    tally.records += accepted + bad + len(structural)
    tally.staged += accepted + bad
    tally.accepted += accepted
    clock("quarantine_lines")
    _publish(con, folder, steps.per_chunk, params, clock)
    for statement in steps.collect:
        _run(con, f"load/{folder}/{statement}", params)
        clock(statement)


def _publish(
    con: duckdb.DuckDBPyConnection,
    folder: str,
    statements: tuple[tuple[str, str, str], ...],
    params: dict[str, object],
    clock: _Clock,
) -> None:
    """Build each staged relation and insert it into its core table."""
    for statement, staged, core in statements:
        _run(con, f"load/{folder}/{statement}", params)
        # Table names come from STAGING above, never from input.
        con.execute(f"insert into {core} select * from {staged}")
        clock(f"insert_{core}")


def _clear_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temp tables and views one file's load builds (views first)."""
    for name in STAGED_RELATIONS:
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
    rejects = [(int(r), reason) for r, reason in fetch_all(con, sql_text("load/value_rejects"))]
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
