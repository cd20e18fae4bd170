"""One day of organic activity: posts, human reactions, trending tags, news links, viral waves.

Operated accounts post here too (their camouflage), but inside their operator's work shift.
Reactions (retweets, replies, quotes) are drawn after all of the day's originals exist, so they
can point at team posts as well; their time is the target's time plus a human delay, which may
fall on a later day (the caller buckets tweets by day).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import numpy as np

from sockpuppet.generate import content
from sockpuppet.generate.model import Tweet
from sockpuppet.generate.params import GenerateParams
from sockpuppet.generate.world import DIURNAL, World

KINDS = ("post", "retweet", "reply", "quote")


@dataclass
class DayContext:
    """What is in the news on one day."""

    day: int
    start: int  # unix seconds at 00:00 UTC
    weekend: bool
    trending: list[str]
    articles: list[list[str]]  # per topic, most shared first
    article_p: np.ndarray


def day_context(world: World, day: int, rng: np.random.Generator) -> DayContext:
    p = world.params
    start = world.day0 + day * 86400
    weekday = (dt.datetime.fromtimestamp(start, dt.UTC).weekday())
    # Trending tags: popular topic tags plus a one-day event tag many people use.
    pick = rng.integers(0, len(world.topics), p.trending_per_day)
    trending = [world.topics[int(k)].hashtags[0] for k in pick[:-1]]
    if p.trending_per_day:
        trending.append(f"{world.topics[int(pick[-1])].name.capitalize()}Day{day + 1}")
    articles = []
    for k, topic in enumerate(world.topics):
        urls = []
        for a in range(p.articles_per_topic_day):
            domain = topic.domains[(a + day) % len(topic.domains)]
            slug = "-".join(topic.words[(a + day + j) % len(topic.words)] for j in range(3))
            urls.append(f"https://{domain}/{2020 + day // 365}/{slug}-{day * 100 + a + k * 7}")
        articles.append(urls)
    ranks = np.arange(1, p.articles_per_topic_day + 1)
    return DayContext(day, start, weekday >= 5, trending, articles, (1 / ranks) / (1 / ranks).sum())


def topic_at(world: World, acc: int, day: int) -> int:
    """Return the account's main topic on ``day`` (a switched account adopts its new team's)."""
    team = world.team_at(acc, day)
    return world.teams[team].topic if team >= 0 else int(world.topic[acc])


def organic_text(world: World, ctx: DayContext, r: random.Random, topic: int,
                 rng_tags: bool = True) -> tuple[str, list[str], list[str]]:
    """Text, hashtags and urls of an ordinary post on ``topic``, with the archive's blemishes."""
    p = world.params
    tp = world.topics[topic]
    text = content.sentence(r, tp.words)
    tags: list[str] = []
    urls: list[str] = []
    if rng_tags and r.random() < p.hashtag_share:
        # Zipf-like: the first tags of a topic are the popular ones many people share.
        tags.append(tp.hashtags[min(int(r.expovariate(0.6)), len(tp.hashtags) - 1)])
    if rng_tags and r.random() < p.trending_share and ctx.trending:
        tags.append(r.choice(ctx.trending))
    if r.random() < p.url_share:
        i = min(int(r.expovariate(0.9)), len(ctx.articles[topic]) - 1)
        url = ctx.articles[topic][i]
        if r.random() < 0.05:
            url += f"?utm_source={r.choice(content.UTM_SOURCES)}"
        urls.append(url)
    text = decorate(r, p, text, tags, urls)
    return text, tags, urls


def decorate(r: random.Random, p: GenerateParams, text: str, tags: list[str],
             urls: list[str]) -> str:
    """Append tags and links to ``text`` and add the occasional blemish real archives have."""
    for tag in dict.fromkeys(tags):
        text += f" #{tag}"
    for url in urls:
        text += f" {url}"
    if r.random() < p.multiline_share:
        words = text.split(" ")
        cut = r.randint(1, max(len(words) - 1, 1))
        text = " ".join(words[:cut]) + r.choice(("\n", "\n\n", "\r\n")) + " ".join(words[cut:])
    if r.random() < p.quote_char_share:
        words = text.split(" ")
        i = r.randrange(len(words))
        words[i] = f'"{words[i]}"'
        text = " ".join(words)
    if r.random() < p.damage_share:
        i = r.randrange(len(text))
        text = text[:i] + "\ufffd" + text[i + 1:]
    return text


def tweet_meta(world: World, r: random.Random, acc: int) -> tuple[str, str]:
    """(client, language) of one tweet: mostly the account's own, sometimes blank."""
    p = world.params
    client = world.client[acc]
    if r.random() < 0.05:
        client = r.choice(content.ORGANIC_CLIENTS)[0]
    lang = world.lang[acc] if r.random() < 0.96 else "und"
    if r.random() < p.missing_share:
        client = ""
    if r.random() < p.missing_share:
        lang = ""
    return client, lang


def draw_times(world: World, ctx: DayContext, rng: np.random.Generator,
               accs: np.ndarray) -> np.ndarray:
    """Draw unix seconds for one tweet by each of ``accs`` on the day.

    Diurnal in the account's timezone, or inside its operator's shift for operated accounts.
    """
    n = len(accs)
    local_hour = rng.choice(24, size=n, p=DIURNAL)
    hour = (local_hour - world.tz[accs]) % 24
    shifts = world.shifts_on(ctx.day)[accs]
    op = shifts >= 0
    hour[op] = (shifts[op] + rng.integers(0, world.params.shift_hours, int(op.sum()))) % 24
    return ctx.start + hour * 3600 + rng.integers(0, 3600, n)


def organic_day(world: World, ctx: DayContext, rng: np.random.Generator,
                r: random.Random) -> tuple[list[Tweet], list[Tweet], np.ndarray, np.ndarray]:
    """Simulate the day's organic(-looking) originals; return the reactions still to place.

    Returns (originals, viral originals, reaction accounts, reaction kinds): reactions need the
    whole day's pool of originals, so `organic_reactions` places them after the teams posted.
    """
    p = world.params
    noise = rng.gamma(2.0, 0.5, world.n)  # day-to-day variation: some days silent, some busy
    operated = world.team_of >= 0
    factor = np.where(operated & ctx.weekend, p.weekend_factor, 1.0)
    counts = rng.poisson(world.rate * noise * factor)
    accs = np.repeat(np.arange(world.n), counts)
    kinds = rng.choice(4, size=len(accs), p=np.array(p.kind_mix) / sum(p.kind_mix))
    posts = accs[kinds == 0]
    times = draw_times(world, ctx, rng, posts)
    originals = []
    for acc, t in zip(posts.tolist(), times.tolist(), strict=True):
        topic = topic_at(world, acc, ctx.day)
        if world.team_of[acc] < 0 and r.random() < 0.3:  # people have more than one interest
            topic = int(world.topic2[acc])
        text, tags, urls = organic_text(world, ctx, r, topic)
        client, lang = tweet_meta(world, r, acc)
        originals.append(Tweet(world.new_id(t), acc, t, "post", text, client, lang, tags, urls))
    virals = viral_posts(world, ctx, rng, r)
    return originals, virals, accs[kinds > 0], kinds[kinds > 0]


def viral_posts(world: World, ctx: DayContext, rng: np.random.Generator,
                r: random.Random) -> list[Tweet]:
    """Viral tweets by popular organic accounts: the retweet waves are added by `viral_wave`."""
    p = world.params
    organic = np.flatnonzero(world.team_of < 0)
    organic = organic[organic != world.feed]
    out = []
    for _ in range(int(rng.poisson(p.viral_per_day))):
        w = world.weight[organic] ** 2
        acc = int(rng.choice(organic, p=w / w.sum()))
        t = ctx.start + int(rng.integers(8 * 3600, 22 * 3600))
        text, tags, urls = organic_text(world, ctx, r, int(world.topic[acc]))
        client, lang = tweet_meta(world, r, acc)
        out.append(Tweet(world.new_id(t), acc, t, "post", text, client, lang, tags, urls))
    return out


def reaction(world: World, r: random.Random, acc: int, kind: str, target: Tweet, t: int,
             ctx: DayContext, text: str | None = None) -> Tweet:
    """Make a retweet, reply or quote of ``target`` at ``t`` (writers add 'RT @x: ' / '@x ')."""
    client, lang = tweet_meta(world, r, acc)
    if kind == "retweet":
        return Tweet(world.new_id(t), acc, t, kind, "", client, lang, list(target.hashtags),
                     list(target.urls), [target.acc, *target.mentions[:2]], target)
    if text is None:
        text = decorate(r, world.params, content.sentence(r, world.topics[
            topic_at(world, target.acc, ctx.day)].words, 3, 12), [], [])
    return Tweet(world.new_id(t), acc, t, kind, text, client, lang, [], [], [target.acc], target)


def lognormal_delays(rng: np.random.Generator, n: int, median_min: float, sigma: float,
                     max_days: int) -> np.ndarray:
    """Delays in seconds, at least 20 s (so a reaction's id is larger than its target's)."""
    d = rng.lognormal(np.log(median_min * 60), sigma, n)
    return np.clip(d, 20, max_days * 86400).astype(np.int64)


def organic_reactions(world: World, ctx: DayContext, rng: np.random.Generator, r: random.Random,
                      pool: list[Tweet], accs: np.ndarray, kinds: np.ndarray) -> list[Tweet]:
    """Retweets, replies and quotes of the day's originals, with human delays."""
    if not pool or not len(accs):
        return []
    p = world.params
    w = np.array([world.weight[tw.acc] for tw in pool])
    picks = rng.choice(len(pool), size=len(accs), p=w / w.sum())
    delays = lognormal_delays(rng, len(accs), p.rt_delay_median_min, p.rt_delay_sigma,
                              p.max_delay_days)
    out = []
    for acc, kind, i, d in zip(accs.tolist(), kinds.tolist(), picks.tolist(), delays.tolist(),
                               strict=True):
        target = pool[i]
        if target.acc == acc:
            continue
        out.append(reaction(world, r, acc, KINDS[kind], target, target.t + d, ctx))
    return out


def fan_waves(world: World, ctx: DayContext, rng: np.random.Generator, r: random.Random,
              pool: list[Tweet]) -> list[Tweet]:
    """Fans retweeting their idol's posts: organic, but the same accounts every time."""
    if not world.clubs:
        return []
    p = world.params
    out = []
    for post in pool:
        fans = world.clubs.get(post.acc)
        if not fans or post.kind != "post":
            continue
        who = [f for f in fans if r.random() < p.fan_retweet_prob]
        delays = lognormal_delays(rng, len(who), p.fan_delay_median_min, p.fan_delay_sigma,
                                  p.max_delay_days)
        out += [reaction(world, r, f, "retweet", post, post.t + d, ctx)
                for f, d in zip(who, delays.tolist(), strict=True)]
    return out


def viral_wave(world: World, ctx: DayContext, rng: np.random.Generator, r: random.Random,
               viral: Tweet) -> list[Tweet]:
    """Make a share of all organic accounts retweet ``viral`` within minutes."""
    p = world.params
    organic = np.flatnonzero(world.team_of < 0)
    organic = organic[(organic != world.feed) & (organic != viral.acc)]
    share = rng.uniform(*p.viral_share)
    who = rng.choice(organic, size=int(share * len(organic)), replace=False)
    delays = lognormal_delays(rng, len(who), p.viral_delay_median_min, p.viral_delay_sigma,
                              p.max_delay_days)
    return [reaction(world, r, acc, "retweet", viral, viral.t + d, ctx)
            for acc, d in zip(np.sort(who).tolist(), delays.tolist(), strict=True)]
