"""Progress for long loads: a bar on a terminal, plain log lines otherwise (Airflow, CI, pipes)."""

from __future__ import annotations

import logging
import sys
import threading
import time
from types import TracebackType
from typing import Any

import duckdb

log = logging.getLogger("sockpuppet.load")
LOG_EVERY_S = 15.0


def _tty() -> bool:
    return sys.stderr.isatty()


class FileProgress:
    """Counts files: a tqdm bar on a terminal, a log line per file otherwise."""

    def __init__(self, total: int):
        self.total = total
        self.index = 0
        self.bar: Any = None

    def __enter__(self) -> FileProgress:
        if _tty() and self.total > 1:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit="file", desc="ingest", file=sys.stderr)
        return self

    def start(self, key: str) -> None:
        self.index += 1
        if self.bar is not None:
            self.bar.set_postfix_str(key[-60:])
        else:
            log.info("loading %d/%d: %s", self.index, self.total, key)

    def done(self, result: Any) -> None:
        if self.bar is not None:
            self.bar.update(1)
        else:
            log.info(
                "%s %s: read %d, loaded %d, quarantined %d in %.1fs",
                result.status, result.source, result.rows_read, result.rows_loaded,
                result.rows_quarantined, result.seconds,
            )

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


class QueryProgress:
    """Polls DuckDB's query progress from a thread while one long statement runs."""

    def __init__(self, con: duckdb.DuckDBPyConnection, label: str, interval: float = 0.5):
        self.con, self.label, self.interval = con, label, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> QueryProgress:
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def _poll(self) -> None:
        bar: Any = None
        last_log = time.monotonic()
        while not self._stop.wait(self.interval):
            try:
                pct = float(self.con.query_progress())
            except Exception:  # noqa: BLE001 - progress is best effort, never fails a load
                return
            if pct < 0:
                continue
            if _tty():
                if bar is None:
                    from tqdm import tqdm

                    bar = tqdm(total=100, desc=self.label[-40:], unit="%", leave=False,
                               file=sys.stderr,
                               bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}")
                bar.n = min(100.0, pct)
                bar.refresh()
            elif time.monotonic() - last_log >= LOG_EVERY_S:
                log.info("%s: %.0f%%", self.label, pct)
                last_log = time.monotonic()
        if bar is not None:
            bar.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
