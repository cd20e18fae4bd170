"""The one typed settings object. Every knob has a default that makes the embedded run work.

Environment variables use the ``SOCKPUPPET_`` prefix (``SOCKPUPPET_WAREHOUSE``, ...); a ``.env``
file in the working directory is read too (see ``.env.example``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from transforms.behaviors import BEHAVIORS

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = PROJECT_ROOT / "sql"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOCKPUPPET_", env_file=".env", extra="ignore")

    # --- where things live -------------------------------------------------------------
    warehouse: Path = Field(Path("warehouse/sockpuppet.duckdb"), description="DuckDB file")
    out: Path = Field(Path("published"), description="where `publish` writes its runs")
    landing: Path = Field(Path("landing"), description="folder the ingest DAG watches")
    sample_archive: Path = Field(
        PROJECT_ROOT.parent / "shared" / "data" / "ira",
        description="embedded default input; a small archive is generated when it is absent",
    )

    # --- loading ------------------------------------------------------------------------
    # DuckDB is given this much memory and these threads; it spills to temp_directory beyond.
    memory_limit: str = "2GB"
    threads: int = 2
    temp_directory: Path | None = None
    # Great Expectations validates staged rows in Arrow batches of this size; above
    # gx_max_rows a seeded sample of about that many is validated (the SQL row checks still see
    # every row).
    gx_batch_rows: int = 100_000
    gx_max_rows: int = 100_000
    busy_timeout_s: float = 0.0  # how long a second writer waits for the lock before failing
    # A tweets file larger than this is staged and inserted in record-aligned chunks of about
    # this size, inside its one transaction, so memory is bounded by the chunk (a whole 2 GB,
    # 5M-tweet file spills). On that file 512 MB took 41 s, 256 MB 42 s (peak RSS 2.5 GB
    # both), 1024 MB 55 s (it spills).
    load_chunk_mb: float = Field(512, gt=0)

    # --- derived tables -----------------------------------------------------------------
    period: str = "1mo"  # co-activity period (polars duration string: 1mo, 1w, 1d)
    # The behaviours `build` derives: all by default. A question that needs fewer (retweet
    # rings only: ["co_retweet"]) builds faster with fewer; the co-activity tables then hold
    # only those, and detection weighs what is there. Environment: a JSON list.
    build_behaviors: list[str] = Field(default_factory=lambda: list(BEHAVIORS))

    # --- detection (sockpuppet/detect) --------------------------------------------------
    # An edge needs a combined surprise (sum over behaviours and popularity strata of
    # w * -log10 P(X >= shared target-days)) of at least this. log10 of the pairs tested is
    # ~6-7; on generated archives organic pairs reach 10-15 (same topic, or caught in the same
    # viral waves at the same minutes: the null knows neither topics nor daily rhythms), team
    # pairs a median of 13-240 by team (13: the 80-account hashtag push of seed 2, ~35 bursts in
    # four months). 12 kept precision >= 0.99 on generated seeds 1-6 (io) and 106-107 (IRA
    # layout); 10 clusters 4 points more of the IRA sample (same purity) but lets 3-5% organic
    # accounts in on every generated seed.
    detect_min_surprise: float = 12.0
    # ... with one behaviour alone contributing at least this much: several weak coincidences
    # (same topic's links, hashtags and retweets) are how organic neighbours look.
    detect_min_top_surprise: float = 6.0
    # ... and at least this many shared target-days over all behaviours (one viral target is
    # noise).
    detect_min_shared: int = 3
    # Shared targets are tested separately per popularity stratum (accounts acting on the target
    # in the period: [2,4), [4,16), [16,64), [64,256), 256+), so the many expected collisions on
    # viral tweets cannot hide, or fake, an excess of shared rare targets.
    detect_popularity_bounds: list[int] = [4, 16, 64, 256]
    # Weight of each stratum's surprise (the last one also for any further strata). A knob
    # for archives where viral waves link organic users; halving the top two strata splits
    # the 80-account team of seed 2 (ARI 0.96, 10 false switches: a team's own pushed tags
    # are popular targets), so every stratum counts fully by default.
    detect_stratum_weights: list[float] = [1.0, 1.0, 1.0, 1.0, 1.0]
    # Weight of each behaviour's surprise. Same-minute bursts are common among organic users
    # awake at the same hours (organic pairs reach 10-13 on co_burst alone on generated seeds),
    # so they count half. Hashtags count fully: with the tags two retweets of one post carry
    # no longer counted again (sql/detect/echo_events.sql), organic pairs reach at most 3.5 on
    # co_hashtag on seeds 1-6, while at half weight most pairs of the 80-account hashtag-push
    # team of seed 2 stay under the edge threshold and the team falls apart (ARI 0.95).
    detect_behavior_weights: dict[str, float] = {
        "co_retweet": 1.0,
        "co_reply": 1.0,
        "co_url": 1.0,
        "co_text": 1.0,
        "co_hashtag": 1.0,
        "co_burst": 0.5,
    }
    # A link, hashtag or text that reaches a pair through a retweet ('co_url:echo') is
    # amplification: it ties a ring's lead to its fans, but teams also amplify other teams'
    # posts (as camouflage) and an old team keeps amplifying a member who left, so echoes count
    # half in the graph (1 merged two generated teams on seeds 4 and 6; 0.25 and 0.5 score
    # alike on seeds 1-6) and not at all for persona switches.
    detect_echo_weight: float = 0.5
    # Non-content traces (a rare client app, a creation-day batch) add this much surprise per
    # trace between accounts that content already put in the graph (never a node of their
    # own): enough to tip a borderline pair, far below a team's content edges, so one
    # operator's two teams stay two clusters (and show as clusters.related_clusters).
    detect_support_surprise: float = 3.0
    detect_client_max_accounts: int = 50  # a client used by more accounts is no trace
    detect_batch_min: int = 3  # accounts created the same day form a batch from this size
    detect_resolution: float = 1.0  # Leiden (RB configuration) resolution; 1 = modularity
    # A cluster is split where re-clustering its own subgraph gives parts that keep at least
    # 1 - this share of their edge weight inside (modularity's resolution limit merges small
    # teams joined by a few edges; real teams are near-complete and never cut this cleanly).
    detect_split_conductance: float = 0.25
    detect_seed: int = 42  # Leiden seed: the same input gives the same clusters
    detect_min_strength: float = 0.0  # drop members with less in-cluster share of edge weight
    detect_match_min_jaccard: float = 0.2  # a new cluster keeps an old id from this overlap
    detect_evidence_per_cluster: int = 10  # receipts kept per cluster in cluster_evidence
    # Persona switches: per period an account's affinity to a cluster is the surprise of its
    # edges to that cluster's members; a cluster dominates a period with this share of it.
    switch_dominance: float = 0.6
    # Periods with less total affinity say nothing: 10 (one strong edge) removed every false
    # switch of weakly tied accounts on IRA-layout seeds without losing a planted one.
    switch_min_affinity: float = 10.0
    switch_min_periods: int = 1  # periods each side of a switch must be dominated
    # build writes one folder of parquet files per partition (= period) here before merging.
    build_dir: Path = Field(Path("warehouse/build"), description="partition outputs of build")
    # Partitions `build` derives at once (one in its own process, the others in worker
    # processes). Each holds one period in memory: they run side by side only when the two
    # largest periods' estimated peaks (~1.6 kB per post) fit in build_memory_gb together, so
    # large archives build one period at a time (peak: one period's).
    build_workers: int = Field(2, ge=1)
    build_memory_gb: float = Field(4.0, gt=0)
    silence_days: float = 30.0  # account_profile: gaps between posts longer than this
    # Co-activity windows in seconds (lag <= window pairs two events of the same target).
    # io/IRA archives have minute resolution, so 60 s is the smallest window that means
    # anything. Retweet rings fire within minutes of the trigger (scheduler / one operator
    # clicking through accounts): 5 min. Replies are typed, so a swarm spreads wider: 10 min.
    # Link farms and hashtag pushes post over a ~20-min shift burst, but a URL is far more
    # specific than a tag: 15 min for URLs, 5 min for hashtags (tags are common; a wide
    # window pairs every user of a topic). Copypasta is rarely posted by chance at all, so
    # text can afford an hour. co_burst compares same-minute activity (0 = same minute).
    window_co_retweet_s: int = 300
    window_co_reply_s: int = 600
    window_co_url_s: int = 900
    window_co_text_s: int = 3600
    window_co_hashtag_s: int = 300
    # Hot targets: each event pairs with at most this many nearest earlier events of the same
    # target inside the window, so pair generation does <= events x max_k work whatever a
    # target's popularity (a tweet retweeted by 50,000 accounts gives <= 50,000 x max_k pairs).
    coactivity_max_k: int = 50
    # A pair-period row is stored when shared_events >= pair_min_events OR weight >=
    # pair_min_weight. Most raw pairs are one co-action on a viral tweet or trending tag
    # (weight ~0.1): on a generated 1M-tweet archive this keeps 8% of the rows (12x less to
    # sort, store and read) and finds 99.4% of the planted-team pairs found unfiltered, with the
    # same precision. 1 / 0.0 keeps every pair. coactivity_stats counts the dropped ones.
    pair_min_events: int = 2
    pair_min_weight: float = 0.5
    # co_text: original posts with at least this many words; near-duplicates are pairs whose
    # word-shingle Jaccard similarity is >= text_similarity (found by MinHash + LSH banding:
    # text_bands x text_rows permutations; 8 x 4 finds a 0.8-similar pair with p = 0.985).
    text_min_words: int = 5
    text_shingle_words: int = 3
    text_similarity: float = 0.8
    text_bands: int = 8
    text_rows: int = 4
    # co_burst: same-minute co-activity. Minutes with more active accounts than burst_max_accounts
    # are skipped (work <= active minutes x burst_max_accounts; a crowded minute says little
    # about any one pair). A pair is kept with >= burst_min_minutes shared minutes and
    # shared / expected >= burst_min_ratio, expected = n_a * n_b / active minutes of the period.
    burst_max_accounts: int = 50
    burst_min_minutes: int = 3
    burst_min_ratio: float = 10.0

    # --- publishing ---------------------------------------------------------------------
    # The report draws the largest clusters and the first switches only: each figure embeds
    # its data, so an uncapped report of a big archive would be hundreds of megabytes.
    report_clusters: int = 12
    report_switches: int = 20
    report_evidence_rows: int = 10

    @field_validator("build_behaviors")
    @classmethod
    def _known_behaviors(cls, names: list[str]) -> list[str]:
        unknown = [n for n in names if n not in BEHAVIORS]
        if unknown or not names:
            raise ValueError(
                f"build_behaviors {names}: expected one or more of {', '.join(BEHAVIORS)}"
            )
        return list(dict.fromkeys(names))  # each once, in the order given

    @property
    def warehouse_path(self) -> Path:
        return self.warehouse.expanduser()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
