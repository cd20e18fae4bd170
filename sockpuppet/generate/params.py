"""Knobs of the synthetic archive generator, each with a default that gives a realistic archive.

`GenerateParams` holds everything except the three sizing arguments of `generate_archive`
(seed, accounts, days). Rates are per account per day unless said otherwise; delays are in
minutes and drawn lognormally (``median`` and ``sigma`` of the underlying normal).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

LAYOUTS = ("io-archive", "ira-csv")
STYLES = ("retweet_ring", "hashtag_push", "link_farm", "copypasta", "reply_swarm")

# Team sizes planted by default, smallest first; as many as fit in `operated_share` of accounts.
DEFAULT_TEAM_SIZES = (5, 8, 12, 20, 30, 50, 80, 120, 200)


@dataclass(frozen=True)
class GenerateParams:
    # --- archive shape -------------------------------------------------------------------
    release: str = "synth_012020"  # io-archive file prefix
    start: str = "2020-01-06"  # first day (a Monday), UTC
    parts: int = 1  # tweets split into this many files by day ranges
    zip: bool = False  # each tweets/users file zipped on its own (deterministic zip headers)

    # --- organic background --------------------------------------------------------------
    mean_tweets_per_day: float = 0.9  # mean organic activity; per-account rates are lognormal
    activity_sigma: float = 1.2  # heavy tail of activity rates
    max_tweets_per_day: float = 60.0
    kind_mix: tuple[float, float, float, float] = (0.55, 0.30, 0.10, 0.05)  # post/rt/reply/quote
    topics: int = 12
    hashtag_share: float = 0.35  # organic posts carrying a topic hashtag
    url_share: float = 0.2  # organic posts carrying a news link
    articles_per_topic_day: int = 6  # the day's news links per topic (Zipf-popular: shared URLs)
    trending_per_day: int = 2  # hashtags trending each day ...
    trending_share: float = 0.08  # ... carried by this share of the day's organic posts
    rt_delay_median_min: float = 45.0  # human reaction delay: minutes to days
    rt_delay_sigma: float = 2.0
    max_delay_days: int = 4
    viral_per_day: float = 0.5  # viral tweets (the false-positive trap) per day ...
    viral_share: tuple[float, float] = (0.05, 0.25)  # ... retweeted by this share of organic
    viral_delay_median_min: float = 6.0  # ... within minutes
    viral_delay_sigma: float = 1.0

    # --- planted operations --------------------------------------------------------------
    team_sizes: tuple[int, ...] | None = None  # None: DEFAULT_TEAM_SIZES that fit
    team_styles: tuple[str, ...] | None = None  # cycled over teams; None: STYLES
    operated_share: float = 0.3  # cap on the share of accounts in default teams
    paired_operator: bool = True  # OP01 runs T01 and T02 on opposite sides of a debate
    team_events_per_day: float = 1.2  # coordinated events per team per working day (mean) ...
    team_rate_sigma: float = 0.5  # ... varying between teams (lognormal factor per team)
    participation: float = 0.75  # share of members taking part in one event (mean over teams)
    participation_spread: float = 0.1  # sd of a team's participation around the mean
    campaign_window_share: float = 0.5  # teams active only in a window, not the whole period
    coord_delay_median_min: float = 3.0  # ring retweets / swarm replies after the trigger
    coord_delay_sigma: float = 0.7
    burst_minutes: float = 20.0  # hashtag pushes, link farms and copypasta spread over this
    copypasta_exact_share: float = 0.3  # copypasta posts pasted without any edit
    camouflage: float = 0.5  # share of an operated account's tweets that look organic
    shift_hours: int = 9  # operators work shifts of this length, mostly on weekdays
    weekend_factor: float = 0.25
    creation_batch: tuple[int, int] = (5, 40)  # accounts created on one day, per batch
    custom_client: str = "NewsWave Publisher"  # OP01's own app
    feed_posts_per_day: float = 6.0  # OP01's news feed ...
    feed_amplify_prob: float = 0.2  # ... retweeted by each member of T01 and T02 with this chance
    switches: int = 4  # persona switches (accounts moving team, keeping their id)
    old_team_retweet_prob: float = 0.4  # old team still retweets a switched account's posts

    # --- organic look-alikes (off by default) -------------------------------------------------
    fan_clubs: int = 0  # groups of real fans retweeting one popular account: organic, yet tight
    fan_club_size: tuple[int, int] = (10, 40)
    fan_retweet_prob: float = 0.4  # chance a fan retweets one of the idol's posts ...
    fan_delay_median_min: float = 15.0  # ... after a notification-driven delay
    fan_delay_sigma: float = 1.2

    # --- imperfections -------------------------------------------------------------------
    multiline_share: float = 0.02
    quote_char_share: float = 0.02
    missing_share: float = 0.01  # blank language / client / list fields
    duplicate_share: float = 0.002  # rows written twice
    damage_share: float = 0.001  # U+FFFD from upstream encoding damage
    coords_share: float = 0.001  # rows with latitude/longitude instead of 'absent'
    ira_rt_prefix_share: float = 0.1  # IRA retweets whose content keeps 'RT @handle: '
    io_renames_visible: bool = False  # io rows normally show the release-time profile

    def __post_init__(self) -> None:
        if self.parts < 1:
            raise ValueError("parts must be >= 1")
        for style in self.team_styles or ():
            if style not in STYLES:
                raise ValueError(f"unknown team style {style!r}; expected one of {STYLES}")
        if any(size < 2 for size in self.team_sizes or ()):
            raise ValueError("teams need at least 2 members")
        if not 0 <= self.camouflage < 1:
            raise ValueError("camouflage must be in [0, 1)")


def make_params(**overrides: object) -> GenerateParams:
    """`GenerateParams` from keyword overrides, naming any unknown key."""
    known = {f.name for f in fields(GenerateParams)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"unknown generator parameter(s): {', '.join(unknown)}")
    for key in ("team_sizes", "team_styles", "kind_mix", "viral_share", "creation_batch",
                "fan_club_size"):
        if isinstance(overrides.get(key), list):
            overrides[key] = tuple(overrides[key])  # type: ignore[arg-type]
    return GenerateParams(**overrides)  # type: ignore[arg-type]


def default_team_sizes(accounts: int, operated_share: float) -> tuple[int, ...]:
    """Return the default sizes that fit in ``operated_share`` of the accounts (>= 2 teams)."""
    budget = accounts * operated_share
    sizes: list[int] = []
    for size in DEFAULT_TEAM_SIZES:
        if sum(sizes) + size > budget and len(sizes) >= 2:
            break
        sizes.append(size)
    return tuple(sizes)
