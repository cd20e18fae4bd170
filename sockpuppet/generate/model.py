"""Plain records the generator passes between its stages: tweets, teams and switches."""

from __future__ import annotations

from dataclasses import dataclass, field

# Twitter's snowflake epoch (ms); ids grow with time like real tweet ids.
TWEPOCH_MS = 1288834974657


@dataclass(slots=True)
class Tweet:
    """One tweet as simulated; writers turn it into a row of the chosen layout.

    ``t`` is UTC unix seconds; ``acc`` and ``mentions`` are account indices; ``target`` is the
    retweeted / replied-to / quoted tweet.
    """

    tid: int
    acc: int
    t: int
    kind: str  # post, retweet, reply, quote
    text: str
    client: str
    lang: str
    hashtags: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)
    target: Tweet | None = None


@dataclass
class Team:
    """A planted team: accounts run together by one operator in one style."""

    team_id: str  # T01, T02, ...
    operation: str  # OP01, ...; two teams may share one
    style: str
    members: list[int]  # account indices at the start of the period (members[0] leads rings)
    topic: int  # index of the team's topic
    side: str  # 'pro' / 'anti' for the paired teams, '' otherwise
    tags: tuple[str, ...]  # campaign hashtags
    domain: str  # link_farm's commercial site
    shift_start: int  # UTC hour the operator's shift starts
    client: str
    rate: float = 1.0  # coordinated events per working day
    participation: float = 0.75
    first_day: int = 0  # active from this day ...
    last_day: int = 10**9  # ... to this day (inclusive): a campaign window


@dataclass(frozen=True)
class Switch:
    """An account leaving ``from_team`` for ``to_team`` on ``day`` (index from the start)."""

    acc: int
    from_team: int
    to_team: int
    day: int


def snowflake(t: int, counter: int) -> int:
    """Make a unique tweet id that grows with time: ms since the epoch << 22 | sequence.

    The ms part carries ``counter % 1000`` and the sequence ``counter % 2**22``, so two ids can
    only collide when their counters agree modulo lcm(1000, 2**22) = 524,288,000.
    """
    ms = t * 1000 + counter % 1000 - TWEPOCH_MS
    return (ms << 22) | (counter & 0x3FFFFF)
