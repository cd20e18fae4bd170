"""A small random warehouse (3 months, teams that co-act across period boundaries)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from sockpuppet.settings import Settings
from sockpuppet.warehouse import connect

COPY = [
    "the harbor bill is a scam and the council knows it",
    "vote no on the levy tonight before it is too late for the port",
    "city people deserve jobs not another harbor levy from the council",
]


def random_core(seed: int = 7, n: int = 3000) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    t0 = datetime(2020, 1, 25)
    accounts = [f"{i:03d}" for i in range(60)]
    words = "harbor bill vote council tonight jobs levy port news city people today".split()
    posts, ents = [], []
    for i in range(n):
        team = rng.random() < 0.4
        acc = accounts[rng.integers(0, 10) if team else rng.integers(0, 60)]
        # team events cluster around a few times (hourly); others are spread over 3 months
        base = (rng.integers(0, 80) * 3600 * 20) if team else int(rng.integers(0, 90 * 86400))
        at = t0 + timedelta(seconds=int(base + rng.integers(0, 20) * 60))
        kind = rng.choice(["post", "retweet", "reply", "quote"], p=[0.5, 0.3, 0.15, 0.05])
        target = f"tw:{rng.integers(0, 40 if team else 400)}" if kind != "post" else None
        text = " ".join(rng.choice(words, size=int(rng.integers(3, 9)))) if kind == "post" else None
        if team and kind == "post":  # copypasta, sometimes with a word added
            text = COPY[rng.integers(0, 3)] + (" " + str(rng.choice(words)) if rng.random() < 0.3
                                               else "")
        pid = f"{i:06d}"
        posts.append((pid, 1, acc, at, str(kind), text, "en", str(rng.choice(["web", "app"])),
                      f"h{acc}", f"N{acc}", target))
        if rng.random() < 0.5:
            tag = f"t{rng.integers(0, 5 if team else 50)}"
            ents.append((pid, 1, acc, at, "hashtag", tag))
        if rng.random() < 0.3:
            url = f"site{rng.integers(0, 3)}.example/{rng.integers(0, 30)}"
            ents.append((pid, 1, acc, at, "url", url))
            ents.append((pid, 1, acc, at, "domain", url.split("/")[0]))
        if rng.random() < 0.02:
            ents.append((pid, 1, acc, at, "url", ""))
    # retweets straddling month and week boundaries (the previous period's tail pairs forward)
    for b, edge in enumerate([datetime(2020, 2, 1), datetime(2020, 2, 10), datetime(2020, 3, 1)]):
        for j, minutes in enumerate((-2, -1, 0, 1, 2, 3)):
            posts.append((f"b{b}{j}", 1, accounts[j], edge + timedelta(minutes=minutes),
                          "retweet", None, "en", "web", f"h{accounts[j]}", "N", f"tw:b{b}"))
    cols = ["post_id", "load_id", "account_id", "posted_at", "kind", "text", "language",
            "client", "handle", "display_name", "target_key"]
    p = pl.DataFrame(posts, schema=cols, orient="row")
    # the same tweets released again in load 2 (de-duplicated by post_id), and a failed load
    p = pl.concat([p, p.head(200).with_columns(load_id=pl.lit(2, pl.Int64)),
                   p.tail(100).with_columns(load_id=pl.lit(3, pl.Int64), account_id=pl.lit("999"))])
    e = pl.DataFrame(ents, schema=["post_id", "load_id", "account_id", "posted_at",
                                   "entity_type", "value"], orient="row")
    e = pl.concat([e, e.head(100).with_columns(load_id=pl.lit(2, pl.Int64))])
    users = pl.DataFrame({
        "account_id": accounts,
        "load_id": [1] * len(accounts),
        "handle": [f"h{a}" for a in accounts],
        "created_on": [datetime(2019, 1, 1 + i % 3).date() for i in range(len(accounts))],
        "category": ["RightTroll" if i < 10 else None for i in range(len(accounts))],
    })
    return p, e, users


def fill_warehouse(path: Path, settings: Settings, seed: int = 7) -> None:
    posts, entities, users = random_core(seed)
    con = connect(path, settings=settings)
    loads = pl.DataFrame({
        "load_id": [1, 2, 3],
        "source_key": ["a", "b", "c"],
        "path": ["a", "b", "c"],
        "sha256": ["1", "2", "3"],
        "layout": ["io-tweets"] * 3,
        "status": ["loaded", "loaded", "failed"],
        "started_at": [datetime(2021, 1, 1)] * 3,
    })
    for table, df in (("loads", loads), ("posts", posts), ("post_entities", entities),
                      ("accounts", users)):
        con.register("frame", df)
        con.execute(f"insert into {table} by name select * from frame")
        con.unregister("frame")
    con.close()


@pytest.fixture
def warehouse_settings(tmp_path: Path) -> Settings:
    s = Settings(warehouse=tmp_path / "w.duckdb", build_dir=tmp_path / "build")
    fill_warehouse(s.warehouse_path, s)
    return s
