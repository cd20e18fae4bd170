"""Windowed pairing of events that share a target: the bounded sweep behind every co-activity table.

Input: events with a group (the target), a time ``t`` and an account, one row per event (an
account acting on a target at a time), unique on (account, group, t, tiebreak columns).
Output: index pairs ``(later, earlier)`` into the events in sweep order: same group, different
accounts, ``0 <= t_later - t_earlier <= window_s``.

How (and why it never explodes): events are sorted by ``(group, t, account, *tiebreak)``, a
total order (so partitions and a whole run see the same predecessors). Event ``i`` is compared
with its ``k``-th predecessor ``i - k`` for ``k = 1, 2, ...``; because rows of one group are
contiguous and time-sorted, once the ``k``-th predecessor is of another group or outside the
window, so are all further ones, and ``i`` leaves the sweep. Every event is compared with at most
``max_k`` predecessors, so the work and the output are bounded by ``events x max_k`` whatever a
target's popularity: a tweet retweeted by 50,000 accounts inside the window yields at most
``50,000 x max_k`` pairs instead of ~1.25e9. Events whose ``max_k + 1``-th predecessor is still
in the window lost pairs to the cap; their times are returned as ``capped_t`` (none means the
result is exactly the brute-force set of in-window pairs). Each step is a vectorised numpy gather
over the events still in the sweep (no Python loop over rows), so the cost is about
``events x (mean in-window predecessors + 1)`` array operations; the sort dominates.

``keep_from`` (epoch seconds) drops pairs whose later event is earlier: a partition reads its own
period plus one window of the previous one and keeps only pairs it owns, which makes the union of
partitions equal to one sweep over everything (the ``k``-th in-window predecessor of an event is
always inside the read range).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl


@dataclass(frozen=True)
class SweepResult:
    events: pl.DataFrame  # the input events in sweep order
    later: pl.Series  # row indices into ``events``
    earlier: pl.Series
    capped_t: pl.Series  # times of the events whose in-window predecessors exceeded max_k

    @property
    def capped(self) -> int:
        return self.capped_t.len()

    def gather(self, columns: Sequence[str]) -> pl.DataFrame:
        """Event columns of both sides: ``<col>_l`` (later) and ``<col>_e`` (earlier)."""
        return self.events.select(
            *[pl.col(c).gather(self.later).alias(f"{c}_l") for c in columns],
            *[pl.col(c).gather(self.earlier).alias(f"{c}_e") for c in columns],
        )


class Sweep:
    """Pair each event with its in-window predecessors of the same group (at most ``max_k``).

    The events are sorted once (by group, time, account, tiebreak). ``result()`` gives the
    pairs with the sorted events (a ``SweepResult``); ``pairs()`` returns every in-window pair
    of different accounts at once; ``pair_chunks()`` returns them in chunks of at most about
    ``limit`` pairs, each holding every pair whose ``key`` (e.g. the smaller account) falls in
    one range, so a caller aggregating per key range never holds all raw pairs (memory at
    scale; the walk is repeated per chunk, cheap beside what a caller does with the pairs).
    """

    def __init__(
        self,
        events: pl.DataFrame,
        window_s: int,
        max_k: int,
        keep_from: int | None = None,
        *,
        group: str = "target",
        account: str = "account_id",
        tiebreak: Sequence[str] = ("post_id",),
    ) -> None:
        self.events = events.sort([group, "t", account, *tiebreak])
        self.n = self.events.height
        g = self.events.get_column(group)
        self.grp = (g != g.shift(1)).fill_null(True).cum_sum().to_numpy()
        self.ts = self.events.get_column("t").dt.epoch("s").to_numpy()
        acc_s = self.events.get_column(account)
        self.acc = (acc_s if acc_s.dtype.is_integer() else acc_s.rank("dense")).to_numpy()
        self.window_s, self.max_k, self.keep_from = window_s, max_k, keep_from
        self._capped: np.ndarray | None = None

    def _steps(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(later, earlier) pairs of different accounts, one predecessor distance at a time."""
        # int32 row numbers: half the memory of the raw pairs (the largest arrays of a build).
        idx = np.int32 if self.n < 2**31 else np.int64
        # rows that may have in-window predecessors
        alive: np.ndarray = np.arange(1, max(self.n, 1), dtype=idx)
        if self.keep_from is not None:
            alive = alive[self.ts[alive] >= self.keep_from]
        grp, ts, acc = self.grp, self.ts, self.acc
        capped = np.empty(0, dtype=idx)
        for k in range(1, self.max_k + 2):
            alive = alive[alive >= k]
            prev = alive - np.asarray(k, dtype=alive.dtype)
            ok = (grp[prev] == grp[alive]) & (ts[alive] - ts[prev] <= self.window_s)
            alive, prev = alive[ok], prev[ok]
            if alive.size == 0:
                break
            if k == self.max_k + 1:  # still in the window after max_k predecessors: capped
                capped = alive
                break
            other = acc[alive] != acc[prev]
            yield alive[other], prev[other]
        self._capped = capped

    @property
    def capped_t(self) -> pl.Series:
        """Times of the events whose in-window predecessors exceeded max_k."""
        if self._capped is None:
            for _ in self._steps():
                pass
        capped = self._capped if self._capped is not None else np.empty(0, dtype=np.int64)
        return self.events.get_column("t").gather(pl.Series("i", capped))

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        later, earlier = [], []
        for a, p in self._steps():
            later.append(a)
            earlier.append(p)
        return _cat(later), _cat(earlier)

    def pair_chunks(
        self,
        limit: int,
        key: Callable[[np.ndarray, np.ndarray], np.ndarray],
        key_size: int,
    ) -> Iterator[tuple[int, int, np.ndarray, np.ndarray]]:
        """``(lo, hi, later, earlier)``: the pairs with ``lo <= key(later, earlier) < hi``.

        The ranges cover ``[0, key_size)``; one walk when everything fits in ``limit`` pairs.
        """
        later: list[np.ndarray] = []
        earlier: list[np.ndarray] = []
        total = 0
        counts: np.ndarray | None = None
        for a, p in self._steps():
            if counts is None:
                later.append(a)
                earlier.append(p)
                total += a.size
                if total > limit:  # too many: count per key, then walk once per range
                    counts = np.bincount(key(_cat(later), _cat(earlier)), minlength=key_size)
                    later, earlier = [], []
            else:
                counts += np.bincount(key(a, p), minlength=key_size)
        if counts is None:
            yield 0, key_size, _cat(later), _cat(earlier)
            return
        for lo, hi in _ranges(counts, limit):
            chunk_l, chunk_e = [], []
            for a, p in self._steps():
                m = key(a, p)
                sel = (m >= lo) & (m < hi)
                chunk_l.append(a[sel])
                chunk_e.append(p[sel])
            yield lo, hi, _cat(chunk_l), _cat(chunk_e)

    def result(self) -> SweepResult:
        later, earlier = self.pairs()
        return SweepResult(
            events=self.events,
            later=pl.Series("later", later),
            earlier=pl.Series("earlier", earlier),
            capped_t=self.capped_t,
        )


def _cat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)


def _ranges(counts: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """Consecutive key ranges of at most ``limit`` counted pairs (a bigger single key alone)."""
    out: list[tuple[int, int]] = []
    lo, acc = 0, 0
    for key, c in enumerate(counts.tolist()):
        if acc and acc + c > limit:
            out.append((lo, key))
            lo, acc = key, 0
        acc += c
    out.append((lo, counts.size))
    return out

