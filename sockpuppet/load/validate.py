"""Great Expectations on staged rows, before they are published to the core tables.

Suites live in ``expectations/<table>.json`` (GX 1.x suite JSON). GX's SQL datasource over
DuckDB returns empty results, so batches are read from DuckDB through Arrow into pandas.
Batches of ``gx_batch_rows``; above ``gx_max_rows`` a seeded random sample of about that many
rows is validated (the row-level checks in the staging SQL still see every row).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from functools import cache
from typing import Any

import duckdb

from sockpuppet.errors import ValidationFailed
from sockpuppet.settings import EXPECTATIONS_DIR, Settings

log = logging.getLogger(__name__)


_CONTEXT_LOCK = threading.Lock()


def warm_up() -> None:
    """Import GX and build the context and suites (safe to call from a background thread)."""
    for table in ("posts", "post_entities", "accounts", "quarantine", "loads"):
        load_suite(table)


def _context() -> Any:
    with _CONTEXT_LOCK:
        return _make_context()


@cache
def _make_context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def load_suite(table: str) -> Any:
    """The GX suite for a core table, built from its JSON file."""
    with _CONTEXT_LOCK:
        return _make_suite(table)


@cache
def _make_suite(table: str) -> Any:
    import great_expectations as gx

    _make_context()  # suites need an active data context
    spec = json.loads((EXPECTATIONS_DIR / f"{table}.json").read_text(encoding="utf-8"))
    suite = gx.ExpectationSuite(name=spec["name"])
    for exp in spec["expectations"]:
        cls = _expectation_class(exp["type"])
        suite.add_expectation(cls(**exp["kwargs"]))
    return suite


def suite_columns(table: str) -> set[str]:
    """The columns a table's suite refers to."""
    names: set[str] = set()
    for exp in load_suite(table).expectations:
        kwargs = exp.configuration.kwargs
        names.update(kwargs[k] for k in ("column", "column_A", "column_B") if kwargs.get(k))
    return names


def _expectation_class(type_name: str) -> Any:
    import great_expectations.expectations as gxe

    camel = "".join(part.capitalize() for part in type_name.split("_"))
    return getattr(gxe, camel)


def validate_frame(table: str, frame: Any) -> list[dict[str, Any]]:
    """Validate a pandas frame against the table's suite; returns the failures (empty = ok)."""
    context = _context()
    name = f"staged_{table}"
    try:
        source = context.data_sources.get(name)
    except (KeyError, ValueError):
        source = context.data_sources.add_pandas(name)
    try:
        asset = source.get_asset(name)
    except (LookupError, ValueError):
        asset = source.add_dataframe_asset(name)
    try:
        batch_def = asset.get_batch_definition("all")
    except (KeyError, ValueError):
        batch_def = asset.add_batch_definition_whole_dataframe("all")
    batch = batch_def.get_batch(batch_parameters={"dataframe": frame})
    outcome = batch.validate(load_suite(table))
    failures = []
    for res in outcome.results:
        if not res.success:
            config = res.expectation_config
            failures.append({
                "expectation": config.type,
                "column": config.kwargs.get("column"),
                "unexpected_count": res.result.get("unexpected_count"),
                "element_count": res.result.get("element_count"),
                "sample": res.result.get("partial_unexpected_list", [])[:5],
            })
    return failures


def validate_staged(
    con: duckdb.DuckDBPyConnection,
    staged: str,
    table: str,
    settings: Settings,
    load_id: int | None = None,
) -> None:
    """Validate the staged rows bound for ``table``; raise ValidationFailed naming the failures.

    ``staged`` is a relation shaped like ``table``; with ``load_id``, only its rows of that
    load are validated (the loader validates its uncommitted rows before the commit).
    """
    columns = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_name = ? "
        "order by ordinal_position", [table]).fetchall()]
    rows = staged if load_id is None else f"{staged} where load_id = {int(load_id)}"
    total = int(con.execute(f"select count(*) from {rows}").fetchall()[0][0])
    if total == 0:
        return
    # Only the columns the suite checks cross into pandas (tweet text is most of the bytes).
    wanted = suite_columns(table)
    positions = [i for i, c in enumerate(columns) if c in wanted]
    staged_columns = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_name = ? "
        "order by ordinal_position", [staged]).fetchall()]
    select = ", ".join(f'"{staged_columns[i]}" as "{columns[i]}"' for i in positions)
    query = f"select {select} from {rows}"
    if total > settings.gx_max_rows:
        # A seeded Bernoulli sample of about gx_max_rows rows: one streaming pass (a reservoir
        # sample costs 5x more: 0.29 s against 0.04 s over an IRA file's 300k posts).
        percent = 100.0 * settings.gx_max_rows / total
        query += f" using sample {percent:.6f} percent (bernoulli, 42)"
    reader = con.sql(query).to_arrow_reader(settings.gx_batch_rows)
    failures: dict[tuple[str, str | None], dict[str, Any]] = {}
    for frame in _frames(reader, settings.gx_batch_rows):
        for failure in validate_frame(table, frame):
            key = (failure["expectation"], failure["column"])
            if key in failures:
                failures[key]["unexpected_count"] = (failures[key]["unexpected_count"] or 0) + (
                    failure["unexpected_count"] or 0)
                failures[key]["element_count"] = (failures[key]["element_count"] or 0) + (
                    failure["element_count"] or 0)
            else:
                failures[key] = failure
    if failures:
        raise ValidationFailed(table, list(failures.values()))


def _frames(reader: Any, rows: int) -> Iterator[Any]:
    """Pandas frames of about ``rows`` rows from an Arrow reader.

    DuckDB hands out small record batches, and each GX run costs ~0.1 s whatever its size.
    """
    import pyarrow as pa

    pending: list[Any] = []
    held = 0
    for batch in reader:
        pending.append(batch)
        held += batch.num_rows
        if held >= rows:
            yield pa.Table.from_batches(pending).to_pandas()
            pending, held = [], 0
    if pending:
        yield pa.Table.from_batches(pending).to_pandas()


def validate_rows(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Validate a few rows built in Python (the quarantine records, the loads row)."""
    if not rows:
        return
    import pandas as pd

    failures = validate_frame(table, pd.DataFrame(rows, columns=columns))
    if failures:
        raise ValidationFailed(table, failures)
