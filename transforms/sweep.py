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

from collections.abc import Sequence
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


def window_pairs(
    events: pl.DataFrame,
    window_s: int,
    max_k: int,
    keep_from: int | None = None,
    *,
    group: str = "target",
    account: str = "account_id",
    tiebreak: Sequence[str] = ("post_id",),
) -> SweepResult:
    """Pair each event with its in-window predecessors of the same group (at most ``max_k``)."""
    ev = events.sort([group, "t", account, *tiebreak])
    n = ev.height
    g = ev.get_column(group)
    grp = (g != g.shift(1)).fill_null(True).cum_sum().to_numpy()
    ts = ev.get_column("t").dt.epoch("s").to_numpy()
    acc_s = ev.get_column(account)
    acc = (acc_s if acc_s.dtype.is_integer() else acc_s.rank("dense")).to_numpy()

    later: list[np.ndarray] = []
    earlier: list[np.ndarray] = []
    alive = np.arange(1, max(n, 1), dtype=np.int64)  # rows that may have in-window predecessors
    if keep_from is not None:
        alive = alive[ts[alive] >= keep_from]
    capped = np.empty(0, dtype=np.int64)
    for k in range(1, max_k + 2):
        alive = alive[alive >= k]
        prev = alive - k
        ok = (grp[prev] == grp[alive]) & (ts[alive] - ts[prev] <= window_s)
        alive, prev = alive[ok], prev[ok]
        if alive.size == 0:
            break
        if k == max_k + 1:  # still in the window after max_k predecessors: the cap bites
            capped = alive
            break
        other = acc[alive] != acc[prev]
        later.append(alive[other])
        earlier.append(prev[other])
    empty = np.empty(0, dtype=np.int64)
    return SweepResult(
        events=ev,
        later=pl.Series("later", np.concatenate(later) if later else empty),
        earlier=pl.Series("earlier", np.concatenate(earlier) if earlier else empty),
        capped_t=ev.get_column("t").gather(pl.Series("i", capped)),
    )
