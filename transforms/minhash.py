"""MinHash signatures, LSH band buckets and exact Jaccard of normalised texts (for ``co_text``).

Grain: one row per distinct text (key ``target``, a text's code), or per (text, band) for
buckets. A text's word ``w``-shingles are hashed to u64 (texts shorter than ``w`` words get one
shingle, the whole text); ``shingles`` keeps them flat (one array, texts contiguous) instead of
a list column: building w-grams over the exploded words is ~5x faster than ``list.eval``, and
MinHash only needs each text's minimum, which repeats do not change. ``bands x rows`` MinHash
values per text come from multiply-add hashes of the shingle hashes (mod 2^64, numpy), reduced
per text with ``np.minimum.reduceat``, in blocks of texts small enough for the CPU cache (the
temporaries are reused; only each block's band hashes are kept). Two texts share a band bucket
with probability ``1 - (1 - J^rows)^bands`` (J = Jaccard); candidates are then verified with the
exact Jaccard of their shingle sets, so LSH only decides which pairs are looked at, never what is
reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BLOCK_SHINGLES = 1 << 14  # shingles per block: the block and its temporaries stay in L2
_BLOCK_TEXTS = 200_000  # texts shingled at once by text_buckets


@dataclass(frozen=True)
class Shingled:
    """Texts and their shingle hashes: text ``i`` has ``hashes[starts[i]:starts[i + 1]]``."""

    target: pl.Series  # one per text
    starts: np.ndarray  # int64, len(target) + 1
    hashes: np.ndarray  # uint64 (a text's shingles, in word order, may repeat)

    @property
    def height(self) -> int:
        return self.target.len()

    def frame(self) -> pl.DataFrame:
        """(target, h): one row per shingle occurrence."""
        lens = np.diff(self.starts)
        rows = np.repeat(np.arange(self.height, dtype=np.int64), lens)
        return pl.DataFrame({"target": self.target.gather(rows),
                             "h": pl.Series(self.hashes, dtype=pl.UInt64)})


def shingles(texts: pl.DataFrame, words: int) -> Shingled:
    """``(target, norm)`` -> the texts' word ``words``-shingle hashes (u64, seed 1)."""
    split = texts.select("target", w=pl.col("norm").str.split(" ")).with_row_index("i")
    short = split.get_column("w").list.len() < words
    flat = split.select("i", "w").explode("w")
    gram = pl.concat_str([pl.col("w").shift(-k) for k in range(words)], separator=" ")
    same_text = pl.col("i").shift(-(words - 1)) == pl.col("i")
    hashed = flat.select("i", h=pl.when(same_text).then(gram.hash(seed=1))).drop_nulls("h")
    if short.any():  # texts of fewer words: one shingle, the whole text
        whole = texts.with_row_index("i").filter(short).select(
            "i", h=pl.col("norm").hash(seed=1)
        )
        hashed = pl.concat([hashed, whole]).sort("i", maintain_order=True)
    i = hashed.get_column("i").to_numpy()
    counts = np.bincount(i, minlength=split.height)
    starts = np.zeros(split.height + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    return Shingled(
        split.get_column("target"),
        starts,
        hashed.get_column("h").to_numpy().astype(np.uint64, copy=False),
    )


def band_buckets(shingled: Shingled, bands: int, rows: int, seed: int = 20) -> pl.DataFrame:
    """Shingled texts -> ``(target, bucket u64)``, one row per text and band."""
    n = shingled.height
    perms = bands * rows
    rng = np.random.default_rng(seed)
    mult = rng.integers(1, 2**63, size=perms, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    add = rng.integers(0, 2**63, size=perms, dtype=np.uint64)
    starts, flat = shingled.starts, shingled.hashes
    buckets = np.empty((bands, n), dtype=np.uint64)
    if n and np.any(starts[1:] == starts[:-1]):
        raise ValueError("every text needs at least one shingle")
    tmp = np.empty(_BLOCK_SHINGLES, dtype=np.uint64)
    lo = 0
    with np.errstate(over="ignore"):
        while lo < n:  # blocks of whole texts, ~_BLOCK_SHINGLES shingles each
            hi = int(np.searchsorted(starts, starts[lo] + _BLOCK_SHINGLES, side="right")) - 1
            hi = min(max(hi, lo + 1), n)
            s0, s1 = starts[lo], starts[hi]
            part = flat[s0:s1]
            offs = starts[lo:hi] - s0
            t = tmp[: s1 - s0] if s1 - s0 <= tmp.size else np.empty(s1 - s0, dtype=np.uint64)
            sig = np.empty((perms, hi - lo), dtype=np.uint64)
            for p in range(perms):
                np.multiply(part, mult[p], out=t)
                np.add(t, add[p], out=t)
                sig[p] = np.minimum.reduceat(t, offs)
            for b in range(bands):
                h = np.full(hi - lo, np.uint64(b + 1) * _MIX, dtype=np.uint64)
                for r in range(rows):
                    h = (h ^ sig[b * rows + r]) * _MIX
                    h ^= h >> np.uint64(29)
                buckets[b, lo:hi] = h
            lo = hi
    target = shingled.target
    return pl.DataFrame(
        {
            "target": target.gather(np.repeat(np.arange(n, dtype=np.int64), bands)),
            "bucket": pl.Series(buckets.T.reshape(-1), dtype=pl.UInt64),
        }
    )


def text_buckets(
    texts: pl.DataFrame, words: int, bands: int, rows: int, seed: int = 20
) -> pl.DataFrame:
    """``(target, norm)`` -> ``band_buckets`` of their shingles, a block of texts at a time.

    A text's buckets depend on it alone; only the buckets outlive a block (memory at scale).
    """
    blocks = [
        band_buckets(shingles(texts.slice(offset, _BLOCK_TEXTS), words), bands, rows, seed)
        for offset in range(0, texts.height, _BLOCK_TEXTS)
    ]
    if not blocks:
        return band_buckets(shingles(texts, words), bands, rows, seed)
    return pl.concat(blocks)


def shared_buckets(buckets: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``band_buckets`` whose bucket holds at least two texts."""
    b = buckets.get_column("bucket").to_numpy()
    # Bucket values are well mixed: a count of their low bits finds the (few) rows that can
    # repeat at all, and only those go through an exact duplicate test (~2x cheaper).
    bits = max(16, int(np.ceil(np.log2(max(b.size, 1)))) + 2)
    low = (b & np.uint64((1 << bits) - 1)).astype(np.int64)
    maybe = np.flatnonzero(np.bincount(low, minlength=1 << bits)[low] > 1)
    repeated = pl.Series(b[maybe]).is_duplicated().to_numpy()
    return buckets.gather(pl.Series(maybe[repeated]))


def jaccard(pairs: pl.LazyFrame, shingled: Shingled) -> pl.LazyFrame:
    """``(text_x, text_y)`` pairs -> plus ``jaccard`` of their shingle sets."""
    pairs_df = pairs.collect()
    involved = pl.concat([pairs_df.get_column("text_x"), pairs_df.get_column("text_y")]).unique()
    sets = (
        shingled.frame()
        .filter(pl.col("target").is_in(involved.implode()))
        .unique()
        .group_by("target")
        .agg(pl.col("h").sort())
    )
    sx = sets.select(pl.col("target").alias("text_x"), pl.col("h").alias("sx"))
    sy = sets.select(pl.col("target").alias("text_y"), pl.col("h").alias("sy"))
    inter = pl.col("sx").list.set_intersection("sy").list.len()
    union = pl.col("sx").list.set_union("sy").list.len()
    return (
        pairs_df.lazy()
        .join(sx.lazy(), on="text_x")
        .join(sy.lazy(), on="text_y")
        .with_columns(jaccard=inter / union)
        .drop("sx", "sy")
    )
