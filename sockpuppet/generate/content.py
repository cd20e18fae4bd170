"""Words, topics, hashtags, links and names the synthetic tweets are made of.

Everything here is invented (no real handles, domains or campaigns). Text is assembled from a
small vocabulary with Python's `random.Random` (seeded from the run's numpy generator), which
is much cheaper per tweet than numpy scalar draws.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

COMMON = (
    "the a to and of in is it you that for on was with he be this are have at not but what all "
    "were when we there can an your which their said if do will each about how up out them then "
    "she many some so these would other into has more her two like him see time could no make "
    "than first been its who now people my made over did down only way find use may water long "
    "little very after words called just where most know get through back much go good new "
    "write our me man too any day same right look think also around another came come work "
    "three must because does part even place well such here take why help put different away "
    "again off went old number great tell men say small every found still between name should "
    "home big give air line set own under read last never us left end along while might next "
    "sound below saw something thought both few those always show large often together asked "
    "house world going want school important until form food keep children feet land side "
    "without boy once animal life enough took four head above kind began almost live page got "
    "earth need far hand high year mother light country father let night picture being study "
    "second soon story since white ever paper hard near sentence better best across during today "
    "however sure knew try told young sun thing whole hear example heard several change answer "
    "room sea against top turned learn point city play toward five himself usually money seen "
    "real honestly lol wow love hate really tonight week news"
).split()

TOPIC_WORDS = {
    "politics": "vote senate election policy governor campaign debate bill congress mayor",
    "sports": "game team season coach score playoffs league match goal fans",
    "music": "album song tour concert band playlist single lyrics stage vinyl",
    "tech": "app update phone startup software laptop code release cloud battery",
    "health": "doctor vaccine clinic diet sleep workout nurse hospital flu vitamins",
    "economy": "market prices jobs inflation rent wages stocks budget taxes bank",
    "weather": "storm rain snow forecast heat wind flood sunny cold hurricane",
    "movies": "film trailer actor director premiere series episode cinema sequel cast",
    "food": "recipe pizza coffee dinner bakery tacos brunch vegan burger noodles",
    "travel": "flight airport hotel beach trip passport train road island museum",
    "gaming": "console stream level boss patch controller esports quest loot server",
    "science": "space telescope research study climate fossil rocket planet lab genome",
    "pets": "dog cat puppy kitten vet shelter leash adopt paws treats",
    "fashion": "dress sneakers style jacket brand outfit runway denim vintage boots",
}

# The debate OP01's two teams argue on from opposite sides.
DEBATE_WORDS = "harbor bill council referendum port jobs dredging shipping levy waterfront"
SIDE_TAGS = {
    "pro": ("YesOnHarbor", "BuildTheHarbor", "HarborJobsNow", "PortForward"),
    "anti": ("NoHarborBill", "StopTheLevy", "SaveTheWaterfront", "HarborScam"),
}
SIDE_WORDS = {
    "pro": "progress jobs growth future build invest modern strong yes forward",
    "anti": "scam corrupt waste stop protect save taxes no greedy lies",
}

FIRST = (
    "james mary john patricia robert jennifer michael linda william elizabeth david barbara "
    "richard susan joseph jessica thomas sarah charles karen chris nancy daniel lisa matt betty "
    "anthony sandra mark ashley paul kim steven emily andrew donna josh michelle kevin carol "
    "brian amanda george melissa tim deborah ron laura jason rebecca ryan sharon jacob cynthia "
    "gary kathleen nick amy eric shirley jon angela larry anna justin ruth scott brenda brandon "
    "pam ben nicole sam katie greg samantha frank alex christine ray debra jack rachel dennis "
    "carolyn jerry janet tyler maria aaron heather jose diane adam julie henry joyce nate victoria"
).split()
LAST = (
    "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez "
    "gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris "
    "sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill "
    "flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips "
    "evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers"
).split()
HANDLE_SUFFIX = ("", "_", "x", "official", "real", "tv", "news", "usa", "1", "_jr")

ORGANIC_CLIENTS = (
    ("Twitter for Android", 0.34),
    ("Twitter for iPhone", 0.33),
    ("Twitter Web Client", 0.15),
    ("Twitter Web App", 0.10),
    ("TweetDeck", 0.04),
    ("Twitter for iPad", 0.04),
)
OPERATOR_CLIENTS = ("Twitter Web Client", "TweetDeck", "Twitter for Android")
UTM_SOURCES = ("twitter", "tw", "social", "t.co", "share", "fb", "promo", "bot", "newsletter")
SHOP_WORDS = "deal sale discount offer limited free shipping price best buy now today only".split()
FEED_DOMAIN = "harbor-daily-wire.com"


@dataclass(frozen=True)
class Topic:
    """A conversation topic: its words, hashtags (most popular first) and news sites."""

    name: str
    words: tuple[str, ...]
    hashtags: tuple[str, ...]
    domains: tuple[str, ...]


def make_topics(count: int) -> list[Topic]:
    """``count`` topics (cycling through the named ones with numbered variants)."""
    names = list(TOPIC_WORDS)
    topics = []
    for i in range(count):
        base = names[i % len(names)]
        tag_base = base if i < len(names) else f"{base}{i // len(names) + 1}"
        words = tuple(TOPIC_WORDS[base].split())
        hashtags = tuple(
            [tag_base.capitalize()]
            + [f"{w.capitalize()}{tag_base.capitalize()}" for w in words[:6]]
            + [f"{tag_base}{n}" for n in ("talk", "life", "news", "2020")]
        )
        domains = (
            f"{tag_base}-times.com",
            f"daily{tag_base}.net",
            f"www.the{tag_base}report.org",
            f"{tag_base}.example-news.com",
        )
        topics.append(Topic(base, words, hashtags, domains))
    return topics


@lru_cache(maxsize=4096)
def _vocabulary(words: tuple[str, ...], topic_share: float) -> tuple[list[str], list[float]]:
    """Return common words plus ``words``, cumulative weights giving ``words`` their share."""
    population = list(COMMON) + list(words)
    weights = [(1 - topic_share) / len(COMMON)] * len(COMMON) + [topic_share / len(words)] * len(
        words)
    return population, list(accumulate(weights))


def sentence(r: random.Random, words: tuple[str, ...], n_min: int = 6, n_max: int = 16,
             topic_share: float = 0.3) -> str:
    """Make a run of words, ``topic_share`` of them from ``words``."""
    population, cum = _vocabulary(words, topic_share)
    text = " ".join(r.choices(population, cum_weights=cum, k=r.randint(n_min, n_max)))
    return text[0].upper() + text[1:]


def copypasta_variant(r: random.Random, base: str) -> str:
    """Copy ``base`` with one or two small edits (word swap, drop, punctuation, case)."""
    toks = base.split(" ")
    for _ in range(r.randint(1, 2)):
        edit = r.random()
        i = r.randrange(len(toks))
        if edit < 0.35:
            toks[i] = r.choice(COMMON)
        elif edit < 0.55 and len(toks) > 4:
            del toks[i]
        elif edit < 0.8:
            toks[-1] = toks[-1] + r.choice(("!", "!!", ".", "...", " 🙏", " 👇", " 🇺🇸"))
        else:
            toks[i] = toks[i].upper()
    return " ".join(toks)


def person_name(r: random.Random) -> tuple[str, str]:
    """(display name, screen name) for an invented person."""
    first, last = r.choice(FIRST), r.choice(LAST)
    display = f"{first.capitalize()} {last.capitalize()}"
    style = r.random()
    if style < 0.4:
        handle = f"{first}{last}{r.randint(1, 999)}"
    elif style < 0.7:
        handle = f"{first}_{last}{r.choice(HANDLE_SUFFIX)}"
    else:
        handle = f"{first[0]}{last}{r.randint(10, 99)}{r.choice(HANDLE_SUFFIX)}"
    return display, handle[:15]


def persona_name(r: random.Random, side_words: tuple[str, ...]) -> tuple[str, str]:
    """(display name, screen name) for an operated persona (news-ish or partisan)."""
    word = r.choice(side_words).capitalize()
    place = r.choice(("Ohio", "Texas", "Dallas", "Boston", "Miami", "Denver", "Atlanta", "Tampa",
                      "Detroit", "Phoenix", "Portland", "Nashville"))
    kind = r.random()
    if kind < 0.35:
        display, handle = f"{place} {word} Today", f"{place}{word}Now"
    elif kind < 0.7:
        first = r.choice(FIRST).capitalize()
        display, handle = f"{first} ({word}!)", f"{first}_{word}{r.randint(1, 99)}"
    else:
        display, handle = f"{word} Patriot {place}", f"{word}_{place}_{r.randint(1, 999)}"
    return display, handle[:15]
