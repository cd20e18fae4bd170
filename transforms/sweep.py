"""Windowed pairing of events that share a target: the bounded sweep behind every co-activity table.

Input: events ``(account_id, target, t, post_id)``, one row per event (an account acting on a
target at a time), unique on ``(account_id, target, t)``.
Output: one row per *event pair* ``(earlier, later)`` of the same target, from different accounts,
with ``0 <= t_later - t_earlier <= window_s``; key (target, account/time of both events).

How (and why it never explodes): events are sorted by ``(target, t, account_id, post_id)``, a
total order (so partitions and a whole run see the same predecessors). Event ``i`` is compared
with its ``k``-th predecessor ``i - k`` for ``k = 1, 2, ...``; because rows of one target are
contiguous and time-sorted, once the ``k``-th predecessor is of another target or outside the
window, so are all further ones, and ``i`` leaves the sweep.
Every event is compared with at most ``max_k`` predecessors, so the work and the output are
bounded by ``events x max_k`` whatever a target's popularity: a tweet retweeted by 50,000
accounts inside the window yields at most ``50,000 x max_k`` pairs instead of ~1.25e9. Events
whose ``max_k + 1``-th predecessor is still in the window lost pairs to the cap; their number is
returned as ``capped`` (0 means the result is exactly the brute-force set of in-window pairs).
Each step is a vectorised numpy gather over the events still in the sweep (no Python loop over
rows), so the cost is ~``events x (mean in-window predecessors + 1)`` array operations.

``keep_from`` (epoch seconds) drops pairs whose later event is earlier: a partition reads its own
period plus one window of the previous one and keeps only pairs it owns, which makes the union of
partitions equal to one sweep over everything (the ``k``-th in-window predecessor of an event is
always inside the read range).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

EVENT_COLUMNS = ("account_id", "target", "t", "post_id")


@dataclass(frozen=True)
class SweepResult:
    pairs: pl.DataFrame  # target, later/earlier account_id, t, post_id
    capped_t: pl.Series  # times of the events whose in-window predecessors exceeded max_k

    @property
    def capped(self) -> int:
        return self.capped_t.len()



def _epoch_seconds(t: pl.Series) -> np.ndarray:
    return t.dt.epoch("s").to_numpy()


def window_pairs(
    events: pl.DataFrame,
    window_s: int,
    max_k: int,
    keep_from: int | None = None,
) -> SweepResult:
    """Pair each event with its in-window predecessors of the same target (at most ``max_k``).

    Returns columns ``target, account_id_l, t_l, post_id_l, account_id_e, t_e, post_id_e`` (later
    and earlier event) plus any extra event columns with the same suffixes.
    """
    ev = events.sort(["target", "t", "account_id", "post_id"])
    n = ev.height
    if n < 2:
        return SweepResult(_empty_pairs(ev), ev.get_column("t").clear())
    target = ev.get_column("target")
    group = (target != target.shift(1)).fill_null(True).cum_sum().to_numpy()
    ts = _epoch_seconds(ev.get_column("t"))
    acc = ev.get_column("account_id").rank("dense").to_numpy()

    later: list[np.ndarray] = []
    earlier: list[np.ndarray] = []
    alive = np.arange(1, n, dtype=np.int64)  # rows that still have in-window predecessors
    if keep_from is not None:
        alive = alive[ts[alive] >= keep_from]
    capped = np.empty(0, dtype=np.int64)
    for k in range(1, max_k + 2):
        alive = alive[alive >= k]
        prev = alive - k
        ok = (group[prev] == group[alive]) & (ts[alive] - ts[prev] <= window_s)
        alive, prev = alive[ok], prev[ok]
        if alive.size == 0:
            break
        if k == max_k + 1:  # still in the window after max_k predecessors: the cap bites
            capped = alive
            break
        other = acc[alive] != acc[prev]
        later.append(alive[other])
        earlier.append(prev[other])
    capped_t = ev.get_column("t").gather(pl.Series("i", capped))
    if not later:
        return SweepResult(_empty_pairs(ev), capped_t)
    li = pl.Series("i", np.concatenate(later))
    ei = pl.Series("i", np.concatenate(earlier))
    rest = [c for c in ev.columns if c != "target"]
    pairs = pl.concat(
        [
            ev.select(pl.col("target").gather(li)),
            ev.select(pl.col(c).gather(li).alias(f"{c}_l") for c in rest),
            ev.select(pl.col(c).gather(ei).alias(f"{c}_e") for c in rest),
        ],
        how="horizontal",
    )
    return SweepResult(pairs, capped_t)


def _empty_pairs(ev: pl.DataFrame) -> pl.DataFrame:
    rest = [c for c in ev.columns if c != "target"]
    return pl.concat(
        [
            ev.select("target").clear(),
            ev.select(pl.col(c).alias(f"{c}_l") for c in rest).clear(),
            ev.select(pl.col(c).alias(f"{c}_e") for c in rest).clear(),
        ],
        how="horizontal",
    )
