"""The simulated population: accounts, planted teams, the shared news feed and persona switches.

`build_world` draws everything that is fixed for the run (profiles, activity rates, timezones,
team membership, pace and campaign windows, creation batches, switch dates, organic fan
clubs); the daily simulation (`organic`, `operations`) only reads it, apart from the tweet-id
counter.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field

import numpy as np

from sockpuppet.generate import content
from sockpuppet.generate.model import Switch, Team, snowflake
from sockpuppet.generate.params import STYLES, GenerateParams, default_team_sizes

ORGANIC_TZ = np.array([-8, -7, -6, -5, -4, 0, 1, 2, 3, 8, 9])
ORGANIC_TZ_P = np.array([0.12, 0.05, 0.12, 0.22, 0.04, 0.14, 0.12, 0.06, 0.05, 0.04, 0.04])
# Share of a person's tweets in each local hour: quiet nights, lunch and evening peaks.
DIURNAL = np.array([2.0, 1.2, 0.7, 0.5, 0.5, 0.7, 1.5, 3, 4, 4.5, 4.5, 5, 5.5, 5, 4.5, 4.5, 4.5,
                    5, 5.5, 6.5, 7, 7, 6, 4])
DIURNAL = DIURNAL / DIURNAL.sum()
LOCATIONS = ("", "", "", "USA", "New York, NY", "Los Angeles, CA", "Texas", "London", "Chicago",
             "Florida, USA", "Earth", "somewhere", "Berlin", "Toronto", "Atlanta, GA")
FOLLOWER_HASH_LIMIT = 5000  # io releases hash the names of accounts below this many followers


@dataclass
class World:
    """Everything fixed for one run; indices into the arrays are account numbers."""

    params: GenerateParams
    seed: int
    days: int
    day0: int  # unix seconds of the first day
    topics: list[content.Topic]
    ids: list[str]  # io-archive userid (hash, or numeric for popular accounts)
    num_ids: list[str]  # numeric ids (IRA external_author_id)
    hashed: np.ndarray
    handles: list[str]
    displays: list[str]
    locations: list[str]
    descriptions: list[str]
    profile_urls: list[str]
    followers: np.ndarray
    following: np.ndarray
    created: list[str]  # YYYY-MM-DD
    lang: list[str]
    tz: np.ndarray  # UTC offset in hours (organic) — operated accounts follow their shift
    rate: np.ndarray  # organic(-looking) tweets per day
    topic: np.ndarray  # main topic per account
    topic2: np.ndarray  # second topic
    client: list[str]
    weight: np.ndarray  # how attractive an account's tweets are to retweet
    team_of: np.ndarray  # team index at the start (-1: organic)
    teams: list[Team]
    switches: list[Switch]
    feed: int  # OP01's news feed account (-1 when there is none)
    feed_op: str
    renamed: dict[int, tuple[str, str]] = field(default_factory=dict)  # acc -> (display, handle)
    clubs: dict[int, list[int]] = field(default_factory=dict)  # idol -> fans (all organic)
    counter: int = 0

    @property
    def n(self) -> int:
        return len(self.ids)

    def new_id(self, t: int) -> int:
        self.counter += 1
        return snowflake(t, self.counter)

    def shifts_on(self, day: int) -> np.ndarray:
        """UTC hour each account's operator starts work on ``day`` (-1: organic).

        A switched account works its new team's shift from the switch on.
        """
        shifts = np.array([t.shift_start for t in self.teams] + [-1])[self.team_of]
        if self.feed >= 0:
            shifts[self.feed] = self.teams[0].shift_start
        for sw in self.switches:
            if day >= sw.day:
                shifts[sw.acc] = self.teams[sw.to_team].shift_start
        return shifts

    def team_at(self, acc: int, day: int) -> int:
        """Return the account's team index on ``day`` (after any switch)."""
        for sw in self.switches:
            if sw.acc == acc and day >= sw.day:
                return sw.to_team
        return int(self.team_of[acc])

    def members_on(self, team: int, day: int) -> list[int]:
        """Members of ``team`` on ``day``: those who left are gone, those who joined are in."""
        left = {s.acc for s in self.switches if s.from_team == team and day >= s.day}
        joined = [s.acc for s in self.switches if s.to_team == team and day >= s.day]
        return [m for m in self.teams[team].members if m not in left] + joined

    def name_at(self, acc: int, day: int) -> tuple[str, str]:
        """(display name, screen name) in use on ``day``."""
        for sw in self.switches:
            if sw.acc == acc and day < sw.day:
                return self.displays[acc], self.handles[acc]
        if acc in self.renamed:
            return self.renamed[acc]
        return self.displays[acc], self.handles[acc]

    def final_name(self, acc: int) -> tuple[str, str]:
        return self.renamed.get(acc, (self.displays[acc], self.handles[acc]))

    def final_team(self, acc: int) -> int:
        return self.team_at(acc, self.days + 10_000)


def account_hash(seed: int, index: int) -> str:
    """44-character base64 hash, like the hashed ids of io releases."""
    return base64.b64encode(hashlib.sha256(f"{seed}:{index}".encode()).digest()).decode()


def lognormal_rates(rng: np.random.Generator, n: int, mean: float, sigma: float,
                    cap: float) -> np.ndarray:
    """Heavy-tailed per-account rates with the given mean (before the cap)."""
    mu = np.log(mean) - sigma**2 / 2
    return np.minimum(rng.lognormal(mu, sigma, n), cap)


def build_world(params: GenerateParams, seed: int, accounts: int, days: int) -> World:
    rng = np.random.default_rng([seed, 1])
    r = random.Random(int(rng.integers(2**63)))
    p = params
    sizes = list(p.team_sizes or default_team_sizes(accounts, p.operated_share))
    styles = list(p.team_styles or STYLES)
    feed_needed = 1 if p.paired_operator and len(sizes) >= 2 else 0
    operated = sum(sizes) + feed_needed
    if operated > 0.8 * accounts:
        raise ValueError(f"{operated} operated accounts do not fit in {accounts} accounts")
    topics = content.make_topics(p.topics)
    day0 = int(dt.datetime.fromisoformat(p.start).replace(tzinfo=dt.UTC).timestamp())
    start_date = dt.date.fromisoformat(p.start)

    order = rng.permutation(accounts)  # operated accounts scattered over the index space
    team_of = np.full(accounts, -1, dtype=np.int64)
    teams: list[Team] = []
    pos = 0
    shift_pair = int(rng.integers(4, 10))
    for k, size in enumerate(sizes):
        members = sorted(int(a) for a in order[pos:pos + size])
        pos += size
        paired = p.paired_operator and k < 2 and len(sizes) >= 2
        op = 1 if paired else (k if p.paired_operator and len(sizes) >= 2 else k + 1)
        style = styles[k % len(styles)]
        side = ("pro", "anti")[k] if paired else ""
        topic = int(rng.integers(len(topics)))
        tags = content.SIDE_TAGS[side] if paired else tuple(
            f"{w.capitalize()}{topics[topic].name.capitalize()}{k + 1}"
            for w in ("stand", "wake", "truth", "go")
        )
        teams.append(Team(
            team_id=f"T{k + 1:02d}", operation=f"OP{op:02d}", style=style, members=members,
            topic=topic, side=side, tags=tags,
            domain=f"best-{topics[topic].name}-deals{k + 1}.shop",
            shift_start=shift_pair if paired else int(rng.integers(0, 24)),
            client=p.custom_client if paired else r.choice(content.OPERATOR_CLIENTS),
        ))
        team_of[members] = k
    feed = int(order[pos]) if feed_needed else -1

    # Profiles.
    followers = np.round(rng.lognormal(np.log(250), 1.8, accounts)).astype(np.int64)
    operated_idx = np.flatnonzero(team_of >= 0)
    followers[operated_idx] = np.round(rng.lognormal(np.log(120), 1.0, len(operated_idx)))
    if feed >= 0:
        followers[feed] = 12_000 + int(rng.integers(0, 8000))
    following = np.round(followers * rng.lognormal(0, 0.8, accounts) + 20).astype(np.int64)
    hashed = followers < FOLLOWER_HASH_LIMIT
    raw_num = rng.integers(10**8, 5 * 10**9, size=accounts * 2)
    _, first = np.unique(raw_num, return_index=True)
    num_ids = [str(int(x)) for x in raw_num[np.sort(first)][:accounts]]
    ids, handles, displays, locations, descriptions, urls = [], [], [], [], [], []
    for i in range(accounts):
        t = team_of[i]
        if t >= 0 or i == feed:
            side_words = tuple(content.SIDE_WORDS[teams[t].side].split()) if t >= 0 and \
                teams[t].side else topics[teams[t].topic if t >= 0 else 0].words
            display, handle = persona_name(r, side_words, i == feed)
        else:
            display, handle = content.person_name(r)
        if hashed[i]:
            h = account_hash(seed, i)
            ids.append(h)
        else:
            ids.append(num_ids[i])
        handles.append(handle)
        displays.append(display)
        locations.append(r.choice(LOCATIONS))
        desc = "" if r.random() < 0.3 else content.sentence(r, topics[r.randrange(len(topics))]
                                                             .words, 3, 12)
        if desc and r.random() < 0.1:
            desc = desc.replace(" ", "\n", 1)  # descriptions hold newlines in real releases
        descriptions.append(desc)
        urls.append("" if r.random() < 0.85 else f"https://t.co/{account_hash(seed, -i)[:10]}")

    created = _creation_dates(rng, r, accounts, teams, feed, start_date, p)
    lang = ["en" if r.random() < 0.93 else r.choice(("es", "fr", "de", "ru")) for _ in ids]

    tz = rng.choice(ORGANIC_TZ, size=accounts, p=ORGANIC_TZ_P)
    rate = lognormal_rates(rng, accounts, p.mean_tweets_per_day, p.activity_sigma,
                           p.max_tweets_per_day)
    _vary_teams(np.random.default_rng([seed, 3]), teams, days, p)
    # Operated accounts: the organic-looking share of their tweets is `camouflage`.
    workday = 5 / 7 + 2 / 7 * p.weekend_factor
    for team in teams:
        coordinated = team.rate * team.participation * workday
        camo_rate = coordinated * p.camouflage / (1 - p.camouflage)
        rate[team.members] = camo_rate * rng.lognormal(0, 0.3, len(team.members))
    main_topic = rng.integers(0, len(topics), accounts)
    topic2 = rng.integers(0, len(topics), accounts)
    for team in teams:
        main_topic[team.members] = team.topic
    names = [c for c, _ in content.ORGANIC_CLIENTS]
    probs = np.array([w for _, w in content.ORGANIC_CLIENTS])
    client = [names[j] for j in rng.choice(len(names), size=accounts, p=probs / probs.sum())]
    for team in teams:
        for m in team.members:
            client[m] = team.client
    if feed >= 0:
        client[feed] = p.custom_client
        rate[feed] = 0.0  # the feed only posts its news (see operations.feed_day)
    weight = np.power(followers + 1.0, 0.6)

    world = World(
        params=p, seed=seed, days=days, day0=day0, topics=topics, ids=ids, num_ids=num_ids,
        hashed=hashed, handles=handles, displays=displays, locations=locations,
        descriptions=descriptions, profile_urls=urls, followers=followers, following=following,
        created=created, lang=lang, tz=tz, rate=rate, topic=main_topic, topic2=topic2,
        client=client,
        weight=weight, team_of=team_of, teams=teams, switches=[], feed=feed,
        feed_op=teams[0].operation if feed >= 0 else "",
    )
    world.switches = _plan_switches(rng, world, p.switches)
    world.clubs = _fan_clubs(np.random.default_rng([seed, 4]), world)
    for sw in world.switches:
        new = teams[sw.to_team]
        side_words = tuple(content.SIDE_WORDS[new.side].split()) if new.side else \
            topics[new.topic].words
        world.renamed[sw.acc] = persona_name(r, side_words, False)
    return world


def persona_name(r: random.Random, side_words: tuple[str, ...], feed: bool) -> tuple[str, str]:
    if feed:
        return "Harbor Daily Wire", "HarborDailyWire"
    return content.persona_name(r, side_words)


def _creation_dates(rng: np.random.Generator, r: random.Random, accounts: int, teams: list[Team],
                    feed: int, start: dt.date, p: GenerateParams) -> list[str]:
    """Organic accounts spread over years; operated accounts made in same-day batches.

    The paired teams share their operator's batches (a batch mixes members of both teams).
    """
    lo = dt.date(2009, 1, 1).toordinal()
    hi = start.toordinal() - 30
    days = rng.integers(lo, hi, accounts)
    groups: list[list[int]] = []
    paired = [t for t in teams if t.side]
    if paired:
        groups.append(sorted(m for t in paired for m in t.members) + ([feed] if feed >= 0 else []))
    groups += [t.members for t in teams if not t.side]
    for group in groups:
        members = list(group)
        r.shuffle(members)
        i = 0
        while i < len(members):
            size = int(rng.integers(p.creation_batch[0], p.creation_batch[1] + 1))
            day = int(rng.integers(hi - 400, hi))
            for m in members[i:i + size]:
                days[m] = day
            i += size
    return [dt.date.fromordinal(int(d)).isoformat() for d in days]


def _vary_teams(rng: np.random.Generator, teams: list[Team], days: int,
                p: GenerateParams) -> None:
    """Give each team its own pace, participation and (for some) a campaign window.

    Windows always cover the middle of the period, where persona switches happen.
    """
    for team in teams:
        team.rate = p.team_events_per_day * float(rng.lognormal(0, p.team_rate_sigma))
        team.participation = float(np.clip(rng.normal(p.participation, p.participation_spread),
                                           0.3, 0.95))
        if rng.random() < p.campaign_window_share:
            team.first_day = int(rng.uniform(0, 0.3) * days)
            team.last_day = int(rng.uniform(0.7, 1.0) * days)


def _fan_clubs(rng: np.random.Generator, world: World) -> dict[int, list[int]]:
    """Organic fans of popular organic accounts (who post at least twice a day)."""
    p = world.params
    organic = np.flatnonzero(world.team_of < 0)
    organic = organic[organic != world.feed]
    clubs: dict[int, list[int]] = {}
    taken: set[int] = set()
    for _ in range(p.fan_clubs):
        free = np.array([a for a in organic if a not in taken])
        if len(free) < p.fan_club_size[1] + 1:
            break
        w = world.weight[free] ** 2
        idol = int(rng.choice(free, p=w / w.sum()))
        size = int(rng.integers(p.fan_club_size[0], p.fan_club_size[1] + 1))
        fans = sorted(int(a) for a in rng.choice(free[free != idol], size=size, replace=False))
        clubs[idol] = fans
        taken |= {idol, *fans}
        world.rate[idol] = max(world.rate[idol], 2.0)
    return clubs


def _plan_switches(rng: np.random.Generator, world: World, count: int) -> list[Switch]:
    """Pick ``count`` accounts that move to another team mid-period (never a ring's lead)."""
    teams = world.teams
    donors = [k for k, t in enumerate(teams) if len(t.members) >= 6]
    if count <= 0 or not donors or len(teams) < 2:
        return []
    switches: list[Switch] = []
    used: set[int] = set()
    for j in range(count * 20):
        if len(switches) == count:
            break
        k = donors[j % len(donors)] if j < len(donors) else int(rng.choice(donors))
        candidates = [m for m in teams[k].members[1:] if m not in used]
        if not candidates:
            continue
        acc = int(rng.choice(candidates))
        others = [x for x in range(len(teams)) if x != k]
        # Prefer a team of another style: the switch should show in behaviour.
        unlike = [x for x in others if teams[x].style != teams[k].style] or others
        to = int(rng.choice(unlike))
        day = int(rng.integers(int(world.days * 0.3), max(int(world.days * 0.7), 2)))
        switches.append(Switch(acc=acc, from_team=k, to_team=to, day=day))
        used.add(acc)
    return switches
