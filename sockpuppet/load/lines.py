"""Where a quarantined record sits in its file: record numbers and physical line numbers.

DuckDB stages accepted records in file order and reports rejected ones by record number, so
the k-th accepted record's own number skips the rejected ones. Physical lines differ from
record numbers when fields hold newlines; they are found by one streaming pass with Python's
csv module, run only for files that have quarantined records.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import io
import sys
from pathlib import Path


def true_records(ordinals: list[int], rejected: list[int]) -> dict[int, int]:
    """Map the k-th accepted record (1-based) to its record number in the file."""
    skipped = sorted(set(rejected))
    mapping = {}
    for k in ordinals:
        record = k
        while True:  # smallest r with r - #{rejected <= r} == k
            shifted = k + bisect.bisect_right(skipped, record)
            if shifted == record:
                break
            record = shifted
        mapping[k] = record
    return mapping


def physical_lines(path: Path, records: set[int]) -> dict[int, int]:
    """The line (1-based, header = line 1) where each wanted record starts; best effort."""
    found: dict[int, int] = {}
    if not records:
        return found
    csv.field_size_limit(sys.maxsize)
    with path.open("rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    raw = gzip.open(path, "rb") if gz else path.open("rb")
    last = max(records)
    try:
        with io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="") as text:
            reader = csv.reader(text)
            next(reader, None)  # header
            record = 0
            while record < last:
                start = reader.line_num + 1
                if next(reader, None) is None:
                    break
                record += 1
                if record in records:
                    found[record] = start
    except (csv.Error, OSError, EOFError):
        pass  # a record the csv module cannot parse either: its line stays unknown
    return found
