"""Synthetic troll-account archives with planted operations and their ground truth.

``generate_archive(out_dir, seed, accounts, days, layout)`` writes ``out_dir/archive/`` (the
archive files, in the io-archive or IRA layout) and, beside it, ``out_dir/truth.csv`` and
``out_dir/switches.csv``. The simulation runs one day at a time and writes each day as soon as
no later day can add to it (reactions lag at most ``max_delay_days``), so memory stays bounded
by a few days of tweets whatever the archive size.

Modules: `params` (knobs), `content` (words, names, links), `world` (accounts, teams, switches),
`organic` (background), `operations` (planted teams), `writers` (layouts), `truth`.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sockpuppet.generate.model import Tweet
from sockpuppet.generate.operations import feed_day, old_team_echo, team_day
from sockpuppet.generate.organic import (
    day_context,
    fan_waves,
    organic_day,
    organic_reactions,
    viral_wave,
)
from sockpuppet.generate.params import LAYOUTS, GenerateParams, make_params
from sockpuppet.generate.truth import write_truth
from sockpuppet.generate.world import World, build_world
from sockpuppet.generate.writers import WRITERS

__all__ = ["GenerateParams", "GenerateSummary", "generate_archive", "simulate_day"]


@dataclass
class GenerateSummary:
    """What `generate_archive` wrote."""

    out_dir: Path
    archive_dir: Path
    layout: str
    files: list[Path]
    truth: Path
    switches_file: Path
    rows: int  # data rows written, duplicates included
    duplicates: int
    accounts: int
    operated: int
    teams: dict[str, int] = field(default_factory=dict)  # team id -> size at the start
    switches: int = 0
    seconds: float = 0.0


def simulate_day(world: World, day: int, rng: np.random.Generator,
                 r: random.Random) -> list[Tweet]:
    """Every tweet caused by ``day`` (some reactions fall on later days)."""
    ctx = day_context(world, day, rng)
    originals, virals, r_accs, r_kinds = organic_day(world, ctx, rng, r)
    organic_pool = [tw for tw in originals if world.team_of[tw.acc] < 0] + virals
    planted: list[Tweet] = []
    for k in range(len(world.teams)):
        planted += team_day(world, k, ctx, rng, r, organic_pool)
    planted += feed_day(world, ctx, rng, r)
    pool = originals + virals + [tw for tw in planted if tw.kind == "post"]
    today = originals + virals + planted
    today += organic_reactions(world, ctx, rng, r, pool, r_accs, r_kinds)
    for viral in virals:
        today += viral_wave(world, ctx, rng, r, viral)
    today += fan_waves(world, ctx, rng, r, originals)
    today += old_team_echo(world, ctx, rng, r, today)
    return today


def generate_archive(out_dir: Path | str, seed: int = 0, accounts: int = 2000, days: int = 120,
                     layout: str = "io-archive", **params: object) -> GenerateSummary:
    """Write a synthetic archive to ``out_dir/archive/`` and ground truth beside it.

    ``params`` override `GenerateParams` fields (team_sizes, camouflage, parts, zip, ...).
    The same arguments always give the same bytes. The defaults give about 250k tweets;
    the count grows linearly with ``accounts * days``.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    started = time.perf_counter()
    p = make_params(**params)
    out = Path(out_dir)
    archive = out / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    world = build_world(p, seed, accounts, days)
    rng = np.random.default_rng([seed, 2])
    r = random.Random(int(rng.integers(2**63)))
    writer = WRITERS[layout](world, archive)
    buckets: dict[int, list[Tweet]] = defaultdict(list)
    for day in range(days):
        for tw in simulate_day(world, day, rng, r):
            d = (tw.t - world.day0) // 86400
            if d < days:  # reactions after the period's end are not in the release
                buckets[d].append(tw)
        todays = buckets.pop(day, [])
        todays.sort(key=lambda tw: (tw.t, tw.tid))
        writer.write_day(day, todays)
    files = writer.close()
    truth, switches = write_truth(world, out, layout)
    return GenerateSummary(
        out_dir=out, archive_dir=archive, layout=layout, files=files, truth=truth,
        switches_file=switches, rows=writer.rows, duplicates=writer.duplicates,
        accounts=world.n, operated=int((world.team_of >= 0).sum()) + (world.feed >= 0),
        teams={t.team_id: len(t.members) for t in world.teams}, switches=len(world.switches),
        seconds=time.perf_counter() - started,
    )
