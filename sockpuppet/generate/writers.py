"""Writers that turn simulated tweets into archive files, one day at a time.

- `IoArchiveWriter`: ``<release>_tweets_csv_hashed.csv`` (31 columns) and
  ``<release>_users_csv_hashed.csv`` (10 quoted columns); split into
  ``<release>_<n>_tweets_csv_hashed.csv`` when ``parts > 1``, as large releases are.
- `IraCsvWriter`: ``IRAhandle_tweets_<n>.csv`` in FiveThirtyEight's 15-column layout.

Parts split the period by day ranges, so the writer never needs the total row count. With
``zip`` each file is written straight into its own zip (fixed entry timestamps, so output bytes
depend only on the seed).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from pathlib import Path
from typing import IO, Literal

import numpy as np

from sockpuppet.generate.model import Tweet
from sockpuppet.generate.world import World

IO_USERS_HEADER = (
    "userid", "user_display_name", "user_screen_name", "user_reported_location",
    "user_profile_description", "user_profile_url", "follower_count", "following_count",
    "account_creation_date", "account_language",
)
IO_TWEETS_HEADER = (
    "tweetid", "userid", "user_display_name", "user_screen_name", "user_reported_location",
    "user_profile_description", "user_profile_url", "follower_count", "following_count",
    "account_creation_date", "account_language", "tweet_language", "tweet_text", "tweet_time",
    "tweet_client_name", "in_reply_to_userid", "in_reply_to_tweetid", "quoted_tweet_tweetid",
    "is_retweet", "retweet_userid", "retweet_tweetid", "latitude", "longitude", "quote_count",
    "reply_count", "like_count", "retweet_count", "hashtags", "urls", "user_mentions",
    "poll_choices",
)
IRA_HEADER = (
    "external_author_id", "author", "content", "region", "language", "publish_date",
    "harvested_date", "following", "followers", "updates", "post_type", "account_type",
    "retweet", "account_category", "new_june_2018",
)
IRA_LANGUAGES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German",
                 "ru": "Russian", "und": "LANGUAGE UNDEFINED", "": ""}
# IRA labels (account_category, account_type) that a team of each style would carry.
IRA_LABELS = {
    "retweet_ring": ("RightTroll", "Right"),
    "hashtag_push": ("HashtagGamer", "Hashtager"),
    "link_farm": ("Commercial", "Commercial"),
    "copypasta": ("Fearmonger", "Koch"),
    "reply_swarm": ("LeftTroll", "left"),
    "pro": ("RightTroll", "Right"),
    "anti": ("LeftTroll", "left"),
    "newsfeed": ("NewsFeed", "local"),
    "organic": ("Unknown", "Unknown"),
}
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


class CsvOut:
    """One CSV file (optionally the only entry of a zip) opened for streaming writes."""

    def __init__(self, path: Path, zipped: bool,
                 quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL) -> None:
        self.path = path.with_suffix(".zip") if zipped else path
        self._zip: zipfile.ZipFile | None = None
        raw: IO[bytes]
        if zipped:
            self._zip = zipfile.ZipFile(self.path, "w", compression=zipfile.ZIP_DEFLATED)
            info = zipfile.ZipInfo(path.name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            raw = self._zip.open(info, "w", force_zip64=True)
        else:
            raw = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._raw = raw
        self._text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
        self.writer = csv.writer(self._text, quoting=quoting, lineterminator="\n")

    def close(self) -> None:
        self._text.close()
        if self._zip is not None:
            self._zip.close()


def part_of(day: int, days: int, parts: int) -> int:
    """1-based part holding ``day`` when the period is cut into ``parts`` day ranges."""
    return day * parts // max(days, 1) + 1


def hms(t: int, day_start: int) -> tuple[int, int]:
    sod = t - day_start
    return sod // 3600, sod % 3600 // 60


class _DayWriter:
    """Shared part handling and duplicate rows; subclasses make rows and names."""

    def __init__(self, world: World, out: Path) -> None:
        self.world = world
        self.out = out
        self.p = world.params
        self.r = random.Random(int(np.random.default_rng([world.seed, 7]).integers(2**63)))
        self.files: list[Path] = []
        self._cur: CsvOut | None = None
        self._part = 0
        self.rows = 0
        self.duplicates = 0
        start = dt.date.fromisoformat(self.p.start)
        horizon = world.days + self.p.max_delay_days + 2
        self.dates = [start + dt.timedelta(days=d) for d in range(horizon)]

    def part_path(self, part: int) -> Path:
        raise NotImplementedError

    def header(self) -> tuple[str, ...]:
        raise NotImplementedError

    def row(self, tw: Tweet, day: int) -> list[object]:
        raise NotImplementedError

    def write_day(self, day: int, tweets: list[Tweet]) -> None:
        part = part_of(day, self.world.days, self.p.parts)
        if part != self._part:
            self._close_part()
            self._cur = CsvOut(self.part_path(part), self.p.zip)
            self._cur.writer.writerow(self.header())
            self._part = part
        assert self._cur is not None
        w = self._cur.writer
        dup = self.p.duplicate_share
        rnd = self.r.random
        for tw in tweets:
            row = self.row(tw, day)
            w.writerow(row)
            self.rows += 1
            if rnd() < dup:  # exact duplicate rows, as some releases have
                w.writerow(row)
                self.rows += 1
                self.duplicates += 1

    def _close_part(self) -> None:
        if self._cur is not None:
            self._cur.close()
            self.files.append(self._cur.path)
            self._cur = None

    def close(self) -> list[Path]:
        self._close_part()
        return self.files


def list_literal(items: list[str], quoted: bool) -> str:
    if quoted:
        return "[" + ", ".join(f"'{x}'" for x in items) + "]"
    return "[" + ", ".join(items) + "]"


class IoArchiveWriter(_DayWriter):
    """The official information-operations layout (hashed ids for small accounts)."""

    def __init__(self, world: World, out: Path) -> None:
        super().__init__(world, out)
        self.day_str = [d.isoformat() for d in self.dates]
        self._profiles = [self._profile(i, final=True) for i in range(world.n)]

    def _profile(self, acc: int, final: bool, day: int = 0) -> list[object]:
        w = self.world
        display, handle = w.final_name(acc) if final else w.name_at(acc, day)
        uid = w.ids[acc]
        if w.hashed[acc]:
            display = handle = uid  # small accounts: names hashed like the id
        return [uid, display, handle, w.locations[acc], w.descriptions[acc],
                w.profile_urls[acc], int(w.followers[acc]), int(w.following[acc]),
                w.created[acc], w.lang[acc]]

    def part_path(self, part: int) -> Path:
        name = (f"{self.p.release}_tweets_csv_hashed.csv" if self.p.parts == 1
                else f"{self.p.release}_{part}_tweets_csv_hashed.csv")
        return self.out / name

    def header(self) -> tuple[str, ...]:
        return IO_TWEETS_HEADER

    def screen(self, acc: int, day: int) -> str:
        w = self.world
        if w.hashed[acc]:
            return w.ids[acc]
        if self.p.io_renames_visible:
            return w.name_at(acc, day)[1]
        return w.final_name(acc)[1]

    def row(self, tw: Tweet, day: int) -> list[object]:
        w, r, p = self.world, self.r, self.p
        acc = tw.acc
        prof = self._profiles[acc]
        if self.p.io_renames_visible and acc in w.renamed:
            prof = self._profile(acc, final=False, day=day)
        target = tw.target
        kind = tw.kind
        text = tw.text
        reply_uid: object = ""
        reply_tid: object = ""
        quoted: object = ""
        rt_uid: object = ""
        rt_tid: object = ""
        if target is not None:
            if kind == "retweet":
                text = f"RT @{self.screen(target.acc, day)}: {target.text}"
                rt_uid, rt_tid = w.ids[target.acc], target.tid
            elif kind == "reply":
                text = f"@{self.screen(target.acc, day)} {text}"
                reply_uid, reply_tid = w.ids[target.acc], target.tid
            else:
                quoted = target.tid
        h, m = hms(tw.t, w.day0 + day * 86400)
        missing = p.missing_share
        if kind == "retweet":
            counts: list[object] = [0, 0, 0, 0]
        else:
            likes = int(r.expovariate(1.0) * (1 + w.followers[acc] / 200))
            counts = [int(likes * 0.05), int(likes * 0.1), likes, int(likes * 0.3)]
        if r.random() < p.coords_share:
            lat, lon = f"{r.uniform(-60, 70):.4f}", f"{r.uniform(-170, 170):.4f}"
        else:
            lat = lon = "absent"
        lists = [
            list_literal(tw.hashtags, quoted=False),
            list_literal(tw.urls, quoted=True),
            list_literal([w.ids[x] for x in tw.mentions], quoted=False),
        ]
        if r.random() < missing:
            lists = ["", "", ""]  # some rows leave empty lists blank
        return [tw.tid, *prof, tw.lang, text, f"{self.day_str[day]} {h:02d}:{m:02d}", tw.client,
                reply_uid, reply_tid, quoted, "True" if kind == "retweet" else "False",
                rt_uid, rt_tid, lat, lon, *counts, *lists, ""]

    def close(self) -> list[Path]:
        files = super().close()
        users = CsvOut(self.out / f"{self.p.release}_users_csv_hashed.csv", self.p.zip,
                       quoting=csv.QUOTE_ALL)
        users.writer.writerow(IO_USERS_HEADER)
        for prof in self._profiles:
            users.writer.writerow(prof)
        users.close()
        return [users.path, *files]


class IraCsvWriter(_DayWriter):
    """FiveThirtyEight's IRA layout: no tweet ids, retweets carry the retweeted text."""

    def __init__(self, world: World, out: Path) -> None:
        super().__init__(world, out)
        self.day_str = [f"{d.month}/{d.day}/{d.year}" for d in self.dates]
        self.updates = np.zeros(world.n, dtype=np.int64)
        self.labels = [IRA_LABELS[account_style(world, i, ira=True)] for i in range(world.n)]
        rng = np.random.default_rng([world.seed, 8])
        self.new_june = rng.random(world.n) < 0.3
        self.region = [("United States" if x < 0.85 else "Unknown") for x in rng.random(world.n)]

    def part_path(self, part: int) -> Path:
        return self.out / f"IRAhandle_tweets_{part}.csv"

    def header(self) -> tuple[str, ...]:
        return IRA_HEADER

    def row(self, tw: Tweet, day: int) -> list[object]:
        w, r = self.world, self.r
        acc = tw.acc
        target = tw.target
        text = tw.text
        if tw.kind == "retweet" and target is not None:
            text = target.text
            if r.random() < self.p.ira_rt_prefix_share:
                text = f"RT @{w.name_at(target.acc, day)[1]}: {text}"
        elif tw.kind == "reply" and target is not None:
            text = f"@{w.name_at(target.acc, day)[1]} {text}"
        h, m = hms(tw.t, w.day0 + day * 86400)
        published = f"{self.day_str[day]} {h}:{m:02d}"
        harvested = published
        if r.random() < 0.05 and m < 59:
            harvested = f"{self.day_str[day]} {h}:{m + 1:02d}"
        self.updates[acc] += 1
        growth = 0.6 + 0.4 * day / max(w.days, 1)
        category, account_type = self.labels[acc]
        return [w.num_ids[acc], w.name_at(acc, day)[1].upper(), text, self.region[acc],
                IRA_LANGUAGES.get(tw.lang, "English"), published, harvested,
                int(w.following[acc] * growth), int(w.followers[acc] * growth),
                int(self.updates[acc]), {"retweet": "R", "quote": "Q"}.get(tw.kind, ""),
                account_type, 1 if tw.kind == "retweet" else 0, category,
                int(self.new_june[acc])]


def account_style(world: World, acc: int, ira: bool = False) -> str:
    """Return the style of an account's final team: 'organic', 'newsfeed' or a team style.

    With ``ira`` the paired teams are labelled by their side ('pro', 'anti').
    """
    if acc == world.feed:
        return "newsfeed"
    team = world.final_team(acc)
    if team < 0:
        return "organic"
    t = world.teams[team]
    return t.side if ira and t.side else t.style


WRITERS = {"io-archive": IoArchiveWriter, "ira-csv": IraCsvWriter}
