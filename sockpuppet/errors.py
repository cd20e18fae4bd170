"""Errors a user can act on. The CLI prints their message without a traceback."""

from __future__ import annotations


class SockpuppetError(Exception):
    """Base class for errors with a message meant for the user."""


class LayoutError(SockpuppetError):
    """A file matches none of the known archive layouts."""


class ArchiveError(SockpuppetError):
    """A file or zip cannot be read (truncated, empty, unsafe member path, bad encoding)."""


class ValidationFailed(SockpuppetError):
    """A Great Expectations suite failed on staged rows; names table, expectation and counts."""

    def __init__(self, table: str, failures: list[dict]):
        self.table = table
        self.failures = failures
        parts = "; ".join(
            f"{f['expectation']}"
            + (f" on {f['column']}" if f.get("column") else "")
            + f": {f.get('unexpected_count', '?')} of {f.get('element_count', '?')} rows"
            for f in failures
        )
        super().__init__(f"validation of staged `{table}` failed: {parts}")
