"""MinHash signatures, LSH band buckets and exact Jaccard of normalised texts (for ``co_text``).

Grain of every frame here: one row per distinct text (key ``target`` = 'text:<hash>'), or per
(text, band) for buckets. A text's word ``w``-shingles are hashed to u64 (texts shorter than ``w``
words get one shingle, the whole text). ``bands x rows`` MinHash values per text come from
multiply-add hashes of the shingle hashes (mod 2^64, numpy), reduced per text with
``np.minimum.reduceat``: one vectorised pass per permutation, in chunks of texts so the
temporary arrays stay small at any archive size. Two texts share a band bucket with probability
``1 - (1 - J^rows)^bands`` (J = Jaccard); candidates are then verified with the exact Jaccard of
their shingle sets, so LSH only decides which pairs are looked at, never what is reported.
"""

from __future__ import annotations

import numpy as np
import polars as pl

_MIX = np.uint64(0x9E3779B97F4A7C15)
_CHUNK_SHINGLES = 4_000_000  # shingles per numpy chunk (~100 MB of temporaries)


def shingles(texts: pl.LazyFrame, words: int) -> pl.LazyFrame:
    """``(target, norm)`` -> ``(target, shingles list[u64])``: distinct shingle hashes."""
    w = pl.element()
    grams = pl.concat_str([w.shift(-i) for i in range(words)], separator=" ")
    split = pl.col("norm").str.split(" ")
    return texts.select(
        "target",
        pl.when(split.list.len() >= words)
        .then(split.list.eval(grams.drop_nulls().hash(seed=1)))
        .otherwise(pl.concat_list(pl.col("norm").hash(seed=1)))
        .list.unique()
        .list.sort()
        .alias("shingles"),
    )


def band_buckets(shingled: pl.DataFrame, bands: int, rows: int, seed: int = 20) -> pl.DataFrame:
    """``(target, shingles)`` -> ``(target, bucket u64)``, one row per text and band."""
    n = shingled.height
    perms = bands * rows
    rng = np.random.default_rng(seed)
    mult = rng.integers(1, 2**63, size=perms, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    add = rng.integers(0, 2**63, size=perms, dtype=np.uint64)
    lens = shingled.get_column("shingles").list.len().to_numpy().astype(np.int64)
    flat = shingled.get_column("shingles").explode().to_numpy().astype(np.uint64)
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
    sig = np.empty((n, perms), dtype=np.uint64)
    lo = 0
    with np.errstate(over="ignore"):
        while lo < n:  # chunks of whole texts, ~_CHUNK_SHINGLES shingles each
            hi = int(np.searchsorted(starts, starts[lo] + _CHUNK_SHINGLES, side="right"))
            hi = max(hi, lo + 1)
            s0 = starts[lo]
            s1 = starts[hi] if hi < n else flat.size
            part = flat[s0:s1]
            offs = starts[lo:hi] - s0
            for p in range(perms):
                sig[lo:hi, p] = np.minimum.reduceat(part * mult[p] + add[p], offs)
            lo = hi
        buckets = np.empty((n, bands), dtype=np.uint64)
        for b in range(bands):
            h = np.full(n, np.uint64(b + 1) * _MIX, dtype=np.uint64)
            for r in range(rows):
                h = (h ^ sig[:, b * rows + r]) * _MIX
                h ^= h >> np.uint64(29)
            buckets[:, b] = h
    target = shingled.get_column("target")
    return pl.DataFrame(
        {
            "target": target.gather(np.repeat(np.arange(n, dtype=np.int64), bands)),
            "bucket": pl.Series(buckets.reshape(-1), dtype=pl.UInt64),
        }
    )


def jaccard(pairs: pl.LazyFrame, shingled: pl.LazyFrame) -> pl.LazyFrame:
    """``(text_x, text_y)`` pairs -> plus ``jaccard`` of their shingle sets."""
    sx = shingled.select(pl.col("target").alias("text_x"), pl.col("shingles").alias("sx"))
    sy = shingled.select(pl.col("target").alias("text_y"), pl.col("shingles").alias("sy"))
    inter = pl.col("sx").list.set_intersection("sy").list.len()
    union = pl.col("sx").list.set_union("sy").list.len()
    return (
        pairs.join(sx, on="text_x")
        .join(sy, on="text_y")
        .with_columns(jaccard=inter / union)
        .drop("sx", "sy")
    )
