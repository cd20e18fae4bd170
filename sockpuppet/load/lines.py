"""Where a quarantined record sits in its file: record numbers and physical line numbers.

DuckDB stages accepted records in file order and reports rejected ones by record number, so
the k-th accepted record's own number skips the rejected ones. Physical lines differ from
record numbers when fields hold newlines: counting the newlines inside the records before one
gives its line, without a second pass over the file.
"""

from __future__ import annotations

import bisect


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


def newlines_through(wanted: list[int], spans: list[tuple[int, int]]) -> dict[int, int]:
    """For each accepted ordinal k in ``wanted``: the newlines inside accepted records 1..k.

    ``spans`` lists (ordinal, newlines) of the accepted records that hold any, by ordinal.
    """
    ordinals = [o for o, _ in spans]
    running = [0]
    for _, nl in spans:
        running.append(running[-1] + nl)
    return {k: running[bisect.bisect_right(ordinals, k)] for k in wanted}


def physical_lines(
    quarantined: list[int],
    rejected: dict[int, int],
    accepted_newlines: dict[int, int],
) -> dict[int, int]:
    """The line (header = line 1) where each quarantined record starts.

    ``rejected`` maps each structurally rejected record to the newlines in its raw text;
    ``accepted_newlines`` maps an accepted ordinal k to the newlines inside accepted records
    1..k (see newlines_through). Line of record r = r + 1 + the
    newlines of every record before r.
    """
    skipped = sorted(rejected)
    lines = {}
    for record in quarantined:
        before = bisect.bisect_left(skipped, record)  # rejected records before this one
        accepted_before = record - 1 - before
        nl = accepted_newlines.get(accepted_before, 0) if accepted_before > 0 else 0
        nl += sum(rejected[r] for r in skipped[:before])
        lines[record] = record + 1 + nl
    return lines


def accepted_before(records: list[int], rejected: list[int]) -> list[int]:
    """For each record, how many accepted records precede it (the ordinal to look up)."""
    skipped = sorted(set(rejected))
    return [r - 1 - bisect.bisect_left(skipped, r) for r in records]
