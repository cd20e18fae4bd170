"""Order-preserving integer codes for string (or time) keys, shared by every derived table.

Sorting, grouping and joining u32 codes instead of archive ids (44-character hashes in io
archives) is several times faster and smaller (scale). A *dictionary* is the sorted distinct
values; a value's code is its position there (0-based), so ``code_x < code_y`` iff ``x < y``:
every order the transforms rely on (the sweep's total order, ``account_a < account_b``) is the
same on codes as on the values, and the values come back with ``dictionary.gather(codes)``.

``encode_core`` codes the account ids of a partition's posts and entities once; the timeline
and every behaviour then work on ``acc`` (u32) and decode only the rows they output.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

CODE = pl.UInt32


def dictionary(*values: pl.Series) -> pl.Series:
    """The sorted distinct non-null values of all inputs (one dtype)."""
    parts = [v.drop_nulls().unique() for v in values]
    merged = parts[0] if len(parts) == 1 else pl.concat(parts).unique()
    # unique + sort of the distinct values: ~10x cheaper than rank('dense') over every row.
    return merged.sort()


def code(values: pl.Series, names: pl.Series) -> pl.Series:
    """Codes (u32) of ``values`` in ``names`` (every non-null value must be there)."""
    if values.is_empty():
        return pl.Series(values.name, [], dtype=CODE)
    if values.dtype.is_temporal() or values.dtype.is_numeric():
        idx = names.search_sorted(values, side="left")
        return idx.cast(CODE).alias(values.name)
    positions = pl.Series(np.arange(names.len(), dtype=np.uint32))
    return values.replace_strict(names, positions, return_dtype=CODE).cast(CODE)


@dataclass(frozen=True)
class CoreFrames:
    """A partition's live posts and entities with ``acc`` (u32 account code) for account_id.

    ``accounts`` is the dictionary: ``accounts[acc]`` is the archive's account_id.
    """

    posts: pl.DataFrame
    entities: pl.DataFrame
    accounts: pl.Series


def encode_core(posts: pl.DataFrame, entities: pl.DataFrame) -> CoreFrames:
    """Replace account_id by ``acc`` in both frames (one dictionary for the partition)."""
    accounts = dictionary(posts.get_column("account_id"), entities.get_column("account_id"))

    def coded(frame: pl.DataFrame) -> pl.DataFrame:
        acc = code(frame.get_column("account_id"), accounts).alias("acc")
        return frame.with_columns(acc).drop("account_id")

    return CoreFrames(coded(posts), coded(entities), accounts.alias("account_id"))
