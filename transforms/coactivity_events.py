"""``coactivity_events``: the evidence behind ``coactivity_pairs``, one row per co-action.

Grain: one row per pair of events (one of ``account_a``, one of ``account_b``) of the same target
inside the behaviour's window; key (account_a, account_b, behavior, target, a_at, b_at).
``account_a < account_b`` (the archive's own ids), ``period`` is the period of the later event,
``lag_s = |b_at - a_at|``; ``a_post_id``/``b_post_id`` name the posts, so an analyst can show
"these accounts retweeted this tweet at 14:02, 14:03 and 14:05".

Size bound: every behaviour pairs each event with at most ``max_k`` in-window predecessors of the
same target (``transforms.sweep``), so this table has at most ``events x max_k`` rows per
behaviour (in practice far fewer: most targets have one account in any window).

Behaviours (events from ``transforms.targets``):
- ``co_retweet``, ``co_reply``, ``co_url``, ``co_hashtag``: the plain windowed sweep on target.
- ``co_text``: identical normalised texts (sweep on the text), plus near-duplicates: every
  original post is also an event of each LSH band bucket of its text (``transforms.minhash``)
  that holds at least two distinct texts; those sweeps give candidate pairs of *different* texts,
  kept when the exact shingle Jaccard is >= ``text_similarity`` (target: the later post's text).
- ``co_burst``: same-minute activity. Minutes with more than ``burst_max_accounts`` active
  accounts are skipped (work <= active minutes x burst_max_accounts), then a pair is kept when
  it shares >= ``burst_min_minutes`` minutes in the period and shared / expected >=
  ``burst_min_ratio`` with expected = n_a * n_b / (active minutes of the period), n = an
  account's active minutes in the period.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import polars as pl

from transforms import minhash, targets
from transforms.behaviors import BEHAVIORS
from transforms.coactivity_pairs import SCHEMA as PAIRS_SCHEMA
from transforms.coactivity_pairs import coactivity_pairs
from transforms.codes import code, dictionary
from transforms.periods import period_of
from transforms.sweep import Sweep, SweepResult
from transforms.target_popularity import target_popularity
from transforms.targets import CodedEvents

SCHEMA = {
    "account_a": pl.String,
    "account_b": pl.String,
    "behavior": pl.String,
    "period": pl.Date,
    "target": pl.String,
    "a_at": pl.Datetime("us"),
    "b_at": pl.Datetime("us"),
    "lag_s": pl.Float64,
    "a_post_id": pl.String,
    "b_post_id": pl.String,
}


@dataclass(frozen=True)
class CoactivityParams:
    """The knobs of the co-activity transforms (built from ``Settings``; defaults match)."""

    period: str = "1mo"
    windows: dict[str, int] = field(
        default_factory=lambda: {
            "co_retweet": 300,
            "co_reply": 600,
            "co_url": 900,
            "co_text": 3600,
            "co_hashtag": 300,
            "co_burst": 0,
        }
    )
    max_k: int = 50
    pair_min_events: int = 2
    pair_min_weight: float = 0.5
    text_min_words: int = 5
    text_shingle_words: int = 3
    text_similarity: float = 0.8
    text_bands: int = 8
    text_rows: int = 4
    burst_max_accounts: int = 50
    burst_min_minutes: int = 3
    burst_min_ratio: float = 10.0

    @classmethod
    def from_settings(cls, s: Any) -> CoactivityParams:
        return cls(
            period=s.period,
            windows={
                "co_retweet": s.window_co_retweet_s,
                "co_reply": s.window_co_reply_s,
                "co_url": s.window_co_url_s,
                "co_text": s.window_co_text_s,
                "co_hashtag": s.window_co_hashtag_s,
                "co_burst": 0,
            },
            max_k=s.coactivity_max_k,
            pair_min_events=s.pair_min_events,
            pair_min_weight=s.pair_min_weight,
            text_min_words=s.text_min_words,
            text_shingle_words=s.text_shingle_words,
            text_similarity=s.text_similarity,
            text_bands=s.text_bands,
            text_rows=s.text_rows,
            burst_max_accounts=s.burst_max_accounts,
            burst_min_minutes=s.burst_min_minutes,
            burst_min_ratio=s.burst_min_ratio,
        )

    @property
    def max_window_s(self) -> int:
        return max(self.windows.values())


def behavior_events(
    behavior: str, posts: pl.LazyFrame, entities: pl.LazyFrame, params: CoactivityParams
) -> pl.LazyFrame:
    """Extract one behaviour's (account_id, target, t, post_id) events (co_text adds ``norm``)."""
    if behavior == "co_retweet":
        return targets.retweet_events(posts)
    if behavior == "co_reply":
        return targets.reply_events(posts)
    if behavior == "co_url":
        return targets.url_events(entities)
    if behavior == "co_hashtag":
        return targets.hashtag_events(entities)
    if behavior == "co_text":
        return targets.text_events(posts, params.text_min_words)
    if behavior == "co_burst":
        return targets.minute_events(posts)
    raise ValueError(f"unknown behavior {behavior!r}; expected one of {BEHAVIORS}")


@dataclass(frozen=True)
class BehaviorResult:
    """Everything one behaviour contributes to the derived tables (of the owned period)."""

    evidence: pl.DataFrame  # coactivity_events rows (SCHEMA)
    pairs: pl.DataFrame  # coactivity_pairs rows
    popularity: pl.DataFrame  # target_popularity rows
    capped_t: pl.Series  # times of the events the cap max_k bit
    weak: pl.DataFrame  # per period: weak_pairs, weak_events (below the pair_min_* bar, dropped)
    # Counted on the way when the owned events are of one period (the build's partitions):
    # account_behavior_counts rows (account codes in account_id) and coactivity_stats inputs.
    counts: pl.DataFrame | None = None
    inputs: pl.DataFrame | None = None


def _epoch_s(keep_from: datetime | None) -> int | None:
    if keep_from is None:
        return None
    return int(pl.Series([keep_from]).cast(pl.Datetime("us")).dt.epoch("s")[0])


def _owned(lf: pl.LazyFrame, keep_from: datetime | None) -> pl.LazyFrame:
    return lf if keep_from is None else lf.filter(pl.col("t") >= keep_from)


def encode(events: pl.DataFrame) -> CodedEvents:
    """Code string-level events (``behavior_events``): ``row`` (position), ``acc`` and ``grp``.

    Codes are positions in the sorted distinct account ids / targets (``transforms.codes``), so
    ``acc_a < acc_b`` iff ``account_a < account_b``. The build codes a partition's accounts once
    (``targets.coded_events``) and skips this step.
    """
    accounts = dictionary(events.get_column("account_id"))
    names = dictionary(events.get_column("target"))
    grp = code(events.get_column("target"), names).alias("grp")
    frame = events.select(
        code(events.get_column("account_id"), accounts).alias("acc"), grp, "t", "post_id"
    ).with_row_index("row")
    texts = None
    if "norm" in events.columns:
        texts = events.select(grp, "norm").unique("grp")
    return CodedEvents(frame, accounts.alias("account_id"), names.alias("target"), texts)


_KEYS = ["account_a", "account_b", "period"]  # a pair-period (account codes while coded)
_WEAK = {"period": pl.Date, "weak_pairs": pl.Int64, "weak_events": pl.Int64}


@dataclass(frozen=True)
class _Pairs:
    """Raw co-action pairs as row numbers into ``CodedEvents.frame``.

    ``later`` / ``earlier``: the two events of each; the pair's target is the later event's.
    """

    later: np.ndarray
    earlier: np.ndarray

    @staticmethod
    def of(res: SweepResult, rows: pl.Series | None = None) -> _Pairs:
        row = (res.events.get_column("row") if rows is None else rows).to_numpy()
        return _Pairs(row[res.later.to_numpy()], row[res.earlier.to_numpy()])

    def take(self, mask: np.ndarray) -> _Pairs:
        return _Pairs(self.later[mask], self.earlier[mask])


def _pair_rows(ev: CodedEvents, p: _Pairs, period: str) -> pl.DataFrame:
    """Pair rows oriented so that account_a < account_b (account codes).

    Columns: account_a, account_b, period, target, a_at, b_at, lag_s, a_row, b_row.
    """
    f = ev.frame
    acc = f.get_column("acc").to_numpy()
    t = f.get_column("t").to_physical().to_numpy()  # microseconds
    lat, ear = p.later.astype(np.int64), p.earlier.astype(np.int64)
    acc_l, acc_e, t_l, t_e = acc[lat], acc[ear], t[lat], t[ear]
    l_is_a = acc_l < acc_e
    later_at = pl.Series("t_l", t_l).cast(pl.Datetime("us"))
    out = pl.DataFrame(
        {
            "account_a": np.where(l_is_a, acc_l, acc_e),
            "account_b": np.where(l_is_a, acc_e, acc_l),
            "period": later_at,
            "target": f.get_column("grp").to_numpy()[lat],
            "a_at": pl.Series(np.where(l_is_a, t_l, t_e)).cast(pl.Datetime("us")),
            "b_at": pl.Series(np.where(l_is_a, t_e, t_l)).cast(pl.Datetime("us")),
            "lag_s": (t_l - t_e) / 1e6,
            "a_row": np.where(l_is_a, lat, ear).astype(np.uint32),
            "b_row": np.where(l_is_a, ear, lat).astype(np.uint32),
        }
    )
    return out.with_columns(period_of(pl.col("period"), period))


@dataclass(frozen=True)
class _Runs:
    """Raw pairs grouped by pair (sorted by the key account_a << 32 | account_b)."""

    order: np.ndarray  # positions of the raw pairs, grouped by pair
    starts: np.ndarray  # first position (in ``order``) of each pair's run
    n: np.ndarray  # co-actions per pair

    def rows(self, keep: np.ndarray) -> np.ndarray:
        """Raw pair positions of the runs where ``keep`` (sorted by pair)."""
        return self.order[np.repeat(keep, self.n)]


def _runs(acc: np.ndarray, p: _Pairs) -> _Runs:
    # One sort of u64 keys instead of a hash group-by over (account_a, account_b): grouping
    # hundreds of thousands of mostly distinct pairs is the costliest step of a behaviour.
    al, ae = acc[p.later].astype(np.uint64), acc[p.earlier].astype(np.uint64)
    key = (np.minimum(al, ae) << np.uint64(32)) | np.maximum(al, ae)
    order = pl.Series(key).arg_sort().to_numpy()
    ks = key[order]
    if ks.size == 0:
        empty = np.empty(0, dtype=np.int64)
        return _Runs(order, empty, empty)
    starts = np.flatnonzero(np.concatenate(([True], ks[1:] != ks[:-1])))
    n = np.diff(np.append(starts, ks.size))
    return _Runs(order, starts, n)


@dataclass(frozen=True)
class _Summary:
    """What the owned events of one period count to.

    target_popularity (target codes), account_behavior_counts (account codes) and the input
    columns of coactivity_stats.
    """

    popularity: pl.DataFrame
    counts: pl.DataFrame
    inputs: pl.DataFrame


def _summary(
    behavior: str, ev: CodedEvents, period: str, keep_from: datetime | None
) -> _Summary | None:
    """One pass of bincounts over the codes instead of three group-bys.

    None when the owned events span several periods: the polars transforms count those.
    """
    f = ev.frame
    t = f.get_column("t").to_physical().to_numpy()
    owned = np.ones(t.size, dtype=bool) if keep_from is None else t >= _epoch_us(keep_from)
    t = t[owned]
    if t.size == 0:
        return None
    ends = pl.Series([int(t.min()), int(t.max())]).cast(pl.Datetime("us")).to_frame("t")
    first, last = ends.select(period_of(pl.col("t"), period)).to_series().to_list()
    if first != last:
        return None
    acc = f.get_column("acc").to_numpy()[owned].astype(np.int64)
    grp = f.get_column("grp").to_numpy()[owned].astype(np.int64)
    n_acc, n_grp = max(int(ev.accounts.len()), 1), max(int(ev.targets.len()), 1)
    # distinct (target, account): a polars unique (multi-threaded, no GIL) of one u64 key
    pairs = pl.Series(grp * n_acc + acc).unique().to_numpy()
    accounts_of = np.bincount(pairs // n_acc, minlength=n_grp)
    events_of = np.bincount(grp, minlength=n_grp)
    popular = np.flatnonzero(accounts_of >= 2)
    popularity = pl.DataFrame(
        {
            "target": pl.Series(popular.astype(np.uint32)),
            "accounts": accounts_of[popular].astype(np.int64),
            "events": events_of[popular].astype(np.int64),
        }
    ).select(
        pl.lit(behavior, pl.String).alias("behavior"),
        pl.lit(first, pl.Date).alias("period"),
        "target",
        "accounts",
        "events",
    )
    acc_events = np.bincount(acc, minlength=n_acc)
    acc_targets = np.bincount(pairs % n_acc, minlength=n_acc)
    active = np.flatnonzero(acc_events)
    counts = pl.DataFrame(
        {
            "account_id": pl.Series(active.astype(np.uint32)),
            "events": acc_events[active].astype(np.int64),
            "targets": acc_targets[active].astype(np.int64),
        }
    ).select(
        "account_id",
        pl.lit(behavior, pl.String).alias("behavior"),
        pl.lit(first, pl.Date).alias("period"),
        "events",
        "targets",
    )
    minutes = pl.Series(np.floor_divide(t, 60_000_000)).n_unique()
    inputs = pl.DataFrame(
        {
            "period": pl.Series([first], dtype=pl.Date),
            "events": [int(t.size)],
            "accounts": [int(active.size)],
            "targets": [int(np.count_nonzero(events_of))],
            "active_minutes": [int(minutes)],
        },
        schema={"period": pl.Date, "events": pl.Int64, "accounts": pl.Int64,
                "targets": pl.Int64, "active_minutes": pl.Int64},
    )
    return _Summary(popularity, counts, inputs)


def _epoch_us(at: datetime) -> int:
    return int(pl.Series([at]).cast(pl.Datetime("us")).to_physical()[0])


_CHUNK_PAIRS = 4_000_000  # raw pairs aggregated at once (~40 bytes each while grouped)


def _chunks(
    sweep: Sweep, rows: np.ndarray, accounts: int, extra: _Pairs | None = None
) -> Iterator[_Pairs]:
    """A sweep's raw pairs as row numbers, in chunks by the smaller account's code.

    Every co-action of a pair is in one chunk; ``extra`` pairs join the chunk of their key.
    """
    acc = sweep.acc

    def smaller(later: np.ndarray, earlier: np.ndarray) -> np.ndarray:
        return np.minimum(acc[later], acc[earlier])

    acc_of_row = None
    for lo, hi, later, earlier in sweep.pair_chunks(_CHUNK_PAIRS, smaller, max(accounts, 1)):
        p = _Pairs(rows[later], rows[earlier])
        if extra is not None and extra.later.size:
            if acc_of_row is None:
                acc_of_row = np.empty(rows.size, dtype=acc.dtype)
                acc_of_row[rows] = acc
            m = np.minimum(acc_of_row[extra.later], acc_of_row[extra.earlier])
            sel = (m >= lo) & (m < hi)
            p = _Pairs(np.concatenate([p.later, extra.later[sel]]),
                       np.concatenate([p.earlier, extra.earlier[sel]]))
        yield p


def _decode(
    behavior: str,
    ev: CodedEvents,
    chunks: Iterable[_Pairs],
    params: CoactivityParams,
    keep_from: datetime | None,
    capped: Callable[[], pl.Series],
    burst: bool = False,
) -> BehaviorResult:
    """Aggregate raw pairs chunk by chunk and period by period; put ids and targets back."""
    coded = ev.frame
    summary = _summary(behavior, ev, params.period, keep_from)
    if summary is not None:
        popularity = summary.popularity
    else:
        popularity = target_popularity(
            coded.lazy().select(pl.col("acc").alias("account_id"), pl.col("grp").alias("target"),
                                "t"),
            behavior,
            params.period,
            keep_from,
        ).collect()
    t_of_row = coded.get_column("t").to_physical().to_numpy()
    day_of_row: np.ndarray | None = None
    per_period: dict[int, pl.DataFrame] = {}
    burst_base: dict[int, tuple[np.ndarray, float]] = {}
    evidence, pairs = [], []
    weak: dict[int, list[int]] = {}

    def period_days(t_us: np.ndarray) -> np.ndarray:
        times = pl.Series(t_us).cast(pl.Datetime("us")).to_frame("t")
        return times.select(period_of(pl.col("t"), params.period)).to_series().to_physical()\
            .to_numpy()

    for raw in chunks:
        if raw.later.size == 0:
            continue
        # A partition's pairs all fall in its own period: the first and last later events
        # tell, without a period per event.
        later_t = t_of_row[raw.later]
        lo, hi = (int(d) for d in period_days(np.array([later_t.min(), later_t.max()])))
        if lo == hi:
            days = [lo]
        else:
            if day_of_row is None:
                day_of_row = period_days(t_of_row)
            later_day = day_of_row[raw.later]
            days = np.unique(later_day).tolist()
        for d in days:
            sub = raw if lo == hi else raw.take(later_day == d)
            period = date.fromordinal(_EPOCH_ORDINAL + d)
            if d not in per_period:
                per_period[d] = popularity.filter(pl.col("period") == period)
            if burst and d not in burst_base:
                burst_base[d] = _burst_base(ev, period, params, keep_from)
            e, a, n_pairs, n_events = _decode_period(
                ev, sub, per_period[d], params, burst_base.get(d)
            )
            evidence.append(e)
            pairs.append(a)
            w = weak.setdefault(d, [0, 0])
            w[0] += n_pairs - a.height
            w[1] += n_events - int(a.get_column("shared_events").sum())
    if not pairs:  # no co-action at all: empty frames of the right shape
        rows = _pair_rows(ev, _Pairs(np.empty(0, np.int64), np.empty(0, np.int64)),
                          params.period)
        pairs.append(coactivity_pairs(rows.lazy(), popularity.lazy(), _KEYS).collect())
        evidence.append(rows)
    agg = pl.concat(pairs).sort(_KEYS)
    rows = pl.concat(evidence)

    def account(frame: pl.DataFrame, col: str) -> pl.Series:
        return ev.accounts.gather(frame.get_column(col)).alias(col)

    def target(frame: pl.DataFrame) -> pl.Series:
        # Only the targets that reach an output are labelled (minutes are formatted here).
        return targets.label_targets(ev.targets.gather(frame.get_column("target")))

    post_ids = coded.get_column("post_id")
    out = rows.select(
        account(rows, "account_a"),
        account(rows, "account_b"),
        pl.lit(behavior).alias("behavior"),
        "period",
        target(rows).alias("target"),
        "a_at",
        "b_at",
        "lag_s",
        post_ids.gather(rows.get_column("a_row")).alias("a_post_id"),
        post_ids.gather(rows.get_column("b_row")).alias("b_post_id"),
    )
    weak_frame = pl.DataFrame(
        {
            "period": [date.fromordinal(_EPOCH_ORDINAL + d) for d in sorted(weak)],
            "weak_pairs": [weak[d][0] for d in sorted(weak)],
            "weak_events": [weak[d][1] for d in sorted(weak)],
        },
        schema=_WEAK,
    )
    return BehaviorResult(
        evidence=out,
        pairs=agg.with_columns(account(agg, "account_a"), account(agg, "account_b"))
        .with_columns(behavior=pl.lit(behavior)).select(list(PAIRS_SCHEMA)),
        popularity=popularity.select(
            "behavior",
            "period",
            target(popularity).alias("target"),
            "accounts",
            "events",
        ).sort("behavior", "period", "target"),
        capped_t=capped(),
        weak=weak_frame,
        counts=summary.counts if summary is not None else None,
        inputs=summary.inputs if summary is not None else None,
    )


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # polars Date = days since 1970-01-01


def _burst_base(
    ev: CodedEvents, period: date, params: CoactivityParams, keep_from: datetime | None
) -> tuple[np.ndarray, float]:
    """co_burst's expectation inputs for a period: each account's active minutes, and all."""
    owned = _owned(ev.frame.lazy(), keep_from).filter(
        period_of(pl.col("t"), params.period) == period
    )
    minutes = owned.group_by("acc").agg(n=pl.len()).collect()
    total = float(owned.select(pl.col("grp").n_unique()).collect().item())
    per_acc = np.zeros(max(int(ev.accounts.len()), 1), dtype=np.float64)
    per_acc[minutes.get_column("acc").to_numpy()] = minutes.get_column("n").to_numpy()
    return per_acc, total


def _decode_period(
    ev: CodedEvents,
    raw: _Pairs,
    popularity: pl.DataFrame,
    params: CoactivityParams,
    burst: tuple[np.ndarray, float] | None,
) -> tuple[pl.DataFrame, pl.DataFrame, int, int]:
    """One period's (chunk of) raw pairs -> kept evidence rows and pairs (coded).

    Also returns how many pairs and co-actions reached the pair_min_* bar.
    """
    coded = ev.frame
    acc = coded.get_column("acc").to_numpy()
    runs = _runs(acc, raw)
    if burst is not None:
        # co_burst's own bar first (what reaches the pair_min_* bar): >= burst_min_minutes
        # shared minutes and shared / expected >= burst_min_ratio (see the module docstring).
        per_acc, total = burst
        first = runs.order[runs.starts] if runs.starts.size else runs.starts
        n_a = per_acc[acc[raw.later[first]]]
        n_b = per_acc[acc[raw.earlier[first]]]
        shared = runs.n.astype(np.float64)
        ok = (runs.n >= params.burst_min_minutes) & (
            shared * total >= params.burst_min_ratio * n_a * n_b
        )
        raw = raw.take(np.sort(runs.rows(ok)))
        runs = _runs(acc, raw)
    # Cheap bound (scale): most raw pairs are one co-action on a popular target. Each co-action
    # weighs its target's weight, so a pair's sum over co-actions bounds its weight (a sum over
    # distinct targets) from above; only pairs that may pass are aggregated fully.
    w_target = np.full(max(int(ev.targets.len()), 1), 1.0 / math.log2(3))
    accounts = popularity.get_column("accounts").to_numpy().astype(np.float64)
    w_target[popularity.get_column("target").to_numpy()] = 1.0 / np.log2(
        1.0 + np.maximum(accounts, 2.0)
    )
    grp = coded.get_column("grp").to_numpy()
    n_pairs, n_events = int(runs.n.size), int(raw.later.size)
    if n_events:
        w_sum = np.add.reduceat(w_target[grp[raw.later[runs.order]]], runs.starts)
    else:
        w_sum = np.empty(0)
    maybe = (runs.n >= params.pair_min_events) | (w_sum >= params.pair_min_weight - 1e-9)
    cand = raw.take(np.sort(runs.rows(maybe)))
    del runs, w_sum, maybe
    rows = _pair_rows(ev, cand, params.period)
    agg = (
        coactivity_pairs(rows.lazy(), popularity.lazy(), _KEYS)
        .filter(
            (pl.col("shared_events") >= params.pair_min_events)
            | (pl.col("weight") >= params.pair_min_weight)
        )
        .collect()
    )
    rows = rows.join(agg.select(_KEYS), on=_KEYS, how="semi", maintain_order="left")
    return rows, agg, n_pairs, n_events


def behavior_coactivity(
    behavior: str,
    events: pl.DataFrame,
    params: CoactivityParams,
    keep_from: datetime | None = None,
) -> BehaviorResult:
    """Evidence, pairs and target popularity of one behaviour from its events.

    ``keep_from``: only pairs whose later event is at or after it are returned (and only those
    events count for popularity and the cap); ``events`` must then include one window before it.
    """
    return coactivity(behavior, encode(events), params, keep_from)


def coactivity(
    behavior: str,
    ev: CodedEvents,
    params: CoactivityParams,
    keep_from: datetime | None = None,
) -> BehaviorResult:
    """``behavior_coactivity`` of coded events (``encode`` or ``targets.coded_events``)."""
    if behavior == "co_text":
        return _text(ev, params, keep_from)
    if behavior == "co_burst":
        return _burst(ev, params, keep_from)
    sweep = Sweep(
        ev.frame.select("grp", "t", "acc", "row"),
        params.windows[behavior],
        params.max_k,
        _epoch_s(keep_from),
        group="grp",
        account="acc",
        tiebreak=(),
    )
    rows = sweep.events.get_column("row").to_numpy()
    chunks = _chunks(sweep, rows, ev.accounts.len())
    return _decode(behavior, ev, chunks, params, keep_from, lambda: sweep.capped_t)


def coactivity_events(
    behavior: str,
    events: pl.DataFrame,
    params: CoactivityParams,
    keep_from: datetime | None = None,
) -> tuple[pl.DataFrame, pl.Series]:
    """Evidence rows (SCHEMA) of one behaviour and the times of the events the cap bit."""
    res = behavior_coactivity(behavior, events, params, keep_from)
    return res.evidence, res.capped_t


def _text(ev: CodedEvents, params: CoactivityParams, keep_from: datetime | None) -> BehaviorResult:
    coded = ev.frame
    if ev.texts is None:
        raise ValueError("co_text events need their normalised texts")
    window, k, kf = params.windows["co_text"], params.max_k, _epoch_s(keep_from)
    exact = Sweep(
        coded.select("grp", "t", "acc", "row"), window, k, kf,
        group="grp", account="acc", tiebreak=(),
    )
    texts = ev.texts.select(pl.col("grp").alias("target"), "norm")
    buckets = minhash.text_buckets(
        texts, params.text_shingle_words, params.text_bands, params.text_rows
    )
    # A bucket holding one distinct text can only give identical-text pairs (found above).
    buckets = minhash.shared_buckets(buckets)
    band_events = coded.select("acc", "t", "row", pl.col("grp").alias("text")).join(
        buckets.rename({"target": "text"}), on="text"
    )
    near = Sweep(
        band_events, window, k, kf, group="bucket", account="acc", tiebreak=("text",)
    ).result()
    del band_events, buckets
    candidates = (
        near.gather(["row", "text"]).lazy()
        .filter(pl.col("text_l") != pl.col("text_e"))
        .unique(["row_l", "row_e"])
        .collect()
    )
    pairs_xy = candidates.select(
        pl.col("text_l").alias("text_x"), pl.col("text_e").alias("text_y")
    ).unique()
    # Only the candidates' texts are shingled again (few): no shingle set is kept meanwhile.
    involved = pl.concat([pairs_xy.get_column("text_x"), pairs_xy.get_column("text_y")]).unique()
    shingled = minhash.shingles(
        texts.filter(pl.col("target").is_in(involved.implode())), params.text_shingle_words
    )
    similar = minhash.jaccard(pairs_xy.lazy(), shingled).filter(
        pl.col("jaccard") >= params.text_similarity
    )
    keep = candidates.lazy().join(
        similar, left_on=["text_l", "text_e"], right_on=["text_x", "text_y"], how="semi"
    ).collect()
    # The near-duplicate pair's target is the later post's text.
    near_pairs = _Pairs(keep.get_column("row_l").to_numpy(), keep.get_column("row_e").to_numpy())
    rows = exact.events.get_column("row").to_numpy()
    chunks = _chunks(exact, rows, ev.accounts.len(), extra=near_pairs)
    # Only the identical-text sweep reports its cap: which single-text buckets the near-duplicate
    # sweep skips depends on the texts read, so its cap count would differ between a partition
    # and a whole run (its pairs do not: a single-text bucket only yields identical-text pairs).
    return _decode("co_text", ev, chunks, params, keep_from, lambda: exact.capped_t)


def _burst(ev: CodedEvents, params: CoactivityParams, keep_from: datetime | None) -> BehaviorResult:
    owned = _owned(ev.frame.lazy(), keep_from)
    per_minute = owned.group_by("grp").agg(n=pl.len())
    quiet = owned.join(
        per_minute.filter(pl.col("n").is_between(2, params.burst_max_accounts)),
        on="grp",
        how="semi",
    ).select("grp", "t", "acc", "row")
    # Every account of a quiet minute pairs with every other: K = burst_max_accounts is exact.
    sweep = Sweep(
        quiet.collect(), 0, params.burst_max_accounts, None,
        group="grp", account="acc", tiebreak=(),
    )
    rows = sweep.events.get_column("row").to_numpy()
    chunks = _chunks(sweep, rows, ev.accounts.len())
    return _decode("co_burst", ev, chunks, params, keep_from, lambda: sweep.capped_t, burst=True)
