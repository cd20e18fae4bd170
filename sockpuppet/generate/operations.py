"""One day of the planted operations: coordinated team events, the news feed, old-team echoes.

Each team acts in its operator's work shift, a Poisson number of times per day at its own pace
(fewer on weekends; some teams only inside a campaign window); in each event a random share
(the team's ``participation``) of the members takes part:

- ``retweet_ring``: the lead (first member) posts; members retweet it within minutes.
- ``hashtag_push``: members post a campaign hashtag within ``burst_minutes``.
- ``link_farm``: members post one commercial URL, each with different tracking parameters.
- ``copypasta``: members post near-identical text (small edits) within ``burst_minutes``.
- ``reply_swarm``: members reply to one popular organic tweet within minutes.
"""

from __future__ import annotations

import random

import numpy as np

from sockpuppet.generate import content
from sockpuppet.generate.model import Team, Tweet
from sockpuppet.generate.organic import (
    DayContext,
    decorate,
    lognormal_delays,
    reaction,
    tweet_meta,
)
from sockpuppet.generate.world import World


def team_text(world: World, team: Team, r: random.Random) -> str:
    """Write a post in the team's voice: its side of the debate, or its topic."""
    if team.side:
        words = tuple(content.SIDE_WORDS[team.side].split() + content.DEBATE_WORDS.split())
    else:
        words = world.topics[team.topic].words
    return content.sentence(r, words, 5, 14, topic_share=0.45)


def event_start(world: World, team: Team, ctx: DayContext, rng: np.random.Generator) -> int:
    span = world.params.shift_hours * 3600 - 3600  # leave the last hour for the reactions
    return ctx.start + team.shift_start * 3600 + int(rng.integers(0, max(span, 60)))


def team_day(world: World, k: int, ctx: DayContext, rng: np.random.Generator, r: random.Random,
             organic_pool: list[Tweet]) -> list[Tweet]:
    """All tweets of team ``k``'s coordinated events on the day."""
    p = world.params
    team = world.teams[k]
    members = world.members_on(k, ctx.day)
    if not team.first_day <= ctx.day <= team.last_day:
        return []
    rate = team.rate * (p.weekend_factor if ctx.weekend else 1.0)
    out: list[Tweet] = []
    for event in range(int(rng.poisson(rate))):
        who = [m for m in members if r.random() < team.participation]
        if len(who) < 2:
            who = r.sample(members, min(2, len(members)))
        t0 = event_start(world, team, ctx, rng)
        n_event = ctx.day * 10 + event
        out += STYLE_EVENTS[team.style](world, team, ctx, rng, r, who, t0, n_event, organic_pool)
    return out


def ring_event(world: World, team: Team, ctx: DayContext, rng: np.random.Generator,
               r: random.Random, who: list[int], t0: int, n_event: int,
               pool: list[Tweet]) -> list[Tweet]:
    lead = team.members[0]
    p = world.params
    tags = [r.choice(team.tags)] if r.random() < 0.6 else []
    client, lang = tweet_meta(world, r, lead)
    post = Tweet(world.new_id(t0), lead, t0, "post",
                 decorate(r, p, team_text(world, team, r), tags, []), client, lang, tags, [])
    fans = [m for m in who if m != lead]
    delays = lognormal_delays(rng, len(fans), p.coord_delay_median_min, p.coord_delay_sigma, 1)
    return [post] + [reaction(world, r, m, "retweet", post, t0 + d, ctx)
                     for m, d in zip(fans, delays.tolist(), strict=True)]


def burst_times(world: World, rng: np.random.Generator, t0: int, n: int) -> list[int]:
    return (t0 + rng.integers(0, int(world.params.burst_minutes * 60) + 1, n)).tolist()


def hashtag_event(world: World, team: Team, ctx: DayContext, rng: np.random.Generator,
                  r: random.Random, who: list[int], t0: int, n_event: int,
                  pool: list[Tweet]) -> list[Tweet]:
    tag = team.tags[n_event % len(team.tags)]
    out = []
    for m, t in zip(who, burst_times(world, rng, t0, len(who)), strict=True):
        tags = [tag] + ([r.choice(team.tags)] if r.random() < 0.3 else [])
        client, lang = tweet_meta(world, r, m)
        text = decorate(r, world.params, team_text(world, team, r), tags, [])
        out.append(Tweet(world.new_id(t), m, t, "post", text, client, lang, tags, []))
    return out


def link_event(world: World, team: Team, ctx: DayContext, rng: np.random.Generator,
               r: random.Random, who: list[int], t0: int, n_event: int,
               pool: list[Tweet]) -> list[Tweet]:
    base = f"https://{team.domain}/p/{r.choice(content.SHOP_WORDS)}-{n_event}"
    out = []
    for m, t in zip(who, burst_times(world, rng, t0, len(who)), strict=True):
        # The same page behind varying tracking parameters (so raw URLs differ).
        url = (f"{base}?utm_source={r.choice(content.UTM_SOURCES)}&utm_medium=social"
               f"&utm_campaign=c{r.randint(1, 999)}")
        if r.random() < 0.3:
            url += f"&ref={r.randint(1000, 9999)}"
        words = tuple(content.SHOP_WORDS) + world.topics[team.topic].words
        text = decorate(r, world.params, content.sentence(r, words, 4, 10, 0.6), [], [url])
        client, lang = tweet_meta(world, r, m)
        out.append(Tweet(world.new_id(t), m, t, "post", text, client, lang, [], [url]))
    return out


def copypasta_event(world: World, team: Team, ctx: DayContext, rng: np.random.Generator,
                    r: random.Random, who: list[int], t0: int, n_event: int,
                    pool: list[Tweet]) -> list[Tweet]:
    base = team_text(world, team, r) + " " + team_text(world, team, r).lower()
    tags = [team.tags[n_event % len(team.tags)]] if r.random() < 0.5 else []
    out = []
    for m, t in zip(who, burst_times(world, rng, t0, len(who)), strict=True):
        pasted = base if r.random() < world.params.copypasta_exact_share else \
            content.copypasta_variant(r, base)
        text = decorate(r, world.params, pasted, tags, [])
        client, lang = tweet_meta(world, r, m)
        out.append(Tweet(world.new_id(t), m, t, "post", text, client, lang, list(tags), []))
    return out


def swarm_event(world: World, team: Team, ctx: DayContext, rng: np.random.Generator,
                r: random.Random, who: list[int], t0: int, n_event: int,
                pool: list[Tweet]) -> list[Tweet]:
    # The thread: a popular organic tweet from the hours before the shift's event.
    recent = [tw for tw in pool if t0 - 4 * 3600 <= tw.t <= t0] or pool
    if not recent:
        return []
    w = np.array([world.weight[tw.acc] for tw in recent]) ** 2
    target = recent[int(rng.choice(len(recent), p=w / w.sum()))]
    start = max(t0, target.t + 120)
    delays = lognormal_delays(rng, len(who), world.params.coord_delay_median_min,
                              world.params.coord_delay_sigma, 1)
    out = []
    for m, d in zip(who, delays.tolist(), strict=True):
        if m == target.acc:
            continue
        text = decorate(r, world.params, team_text(world, team, r), [], [])
        out.append(reaction(world, r, m, "reply", target, start + d, ctx, text))
    return out


STYLE_EVENTS = {
    "retweet_ring": ring_event,
    "hashtag_push": hashtag_event,
    "link_farm": link_event,
    "copypasta": copypasta_event,
    "reply_swarm": swarm_event,
}


def feed_day(world: World, ctx: DayContext, rng: np.random.Generator,
             r: random.Random) -> list[Tweet]:
    """OP01's news feed posts headlines with links; members of both its teams retweet some.

    The two teams share only this kind of trace (plus client, shifts and creation batches):
    their own content takes opposite sides.
    """
    if world.feed < 0:
        return []
    p = world.params
    factor = p.weekend_factor if ctx.weekend else 1.0
    paired = [k for k, t in enumerate(world.teams) if t.side]
    fans = sorted({m for k in paired for m in world.members_on(k, ctx.day)})
    shift = world.teams[0].shift_start
    out: list[Tweet] = []
    for n in range(int(rng.poisson(p.feed_posts_per_day * factor))):
        t = ctx.start + shift * 3600 + int(rng.integers(0, p.shift_hours * 3600))
        url = f"https://{content.FEED_DOMAIN}/{ctx.day}/{n}"
        words = tuple(content.DEBATE_WORDS.split())
        text = decorate(r, p, content.sentence(r, words, 5, 10, 0.5), [], [url])
        client, lang = tweet_meta(world, r, world.feed)
        post = Tweet(world.new_id(t), world.feed, t, "post", text, client, lang, [], [url])
        out.append(post)
        amplifiers = [m for m in fans if r.random() < p.feed_amplify_prob]
        delays = lognormal_delays(rng, len(amplifiers), 60.0, 1.0, 1)
        out += [reaction(world, r, m, "retweet", post, t + d, ctx)
                for m, d in zip(amplifiers, delays.tolist(), strict=True)]
    return out


def old_team_echo(world: World, ctx: DayContext, rng: np.random.Generator, r: random.Random,
                  today: list[Tweet]) -> list[Tweet]:
    """After a switch, the old team keeps retweeting the switched account's posts."""
    p = world.params
    out: list[Tweet] = []
    for sw in world.switches:
        if ctx.day < sw.day:
            continue
        posts = [tw for tw in today if tw.acc == sw.acc and tw.kind == "post"][:3]
        old = world.members_on(sw.from_team, ctx.day)
        for post in posts:
            who = [m for m in old if r.random() < p.old_team_retweet_prob]
            delays = lognormal_delays(rng, len(who), p.coord_delay_median_min,
                                      p.coord_delay_sigma, 1)
            out += [reaction(world, r, m, "retweet", post, post.t + d, ctx)
                    for m, d in zip(who, delays.tolist(), strict=True)]
    return out
