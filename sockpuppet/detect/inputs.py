"""Reading detection's inputs from the warehouse (the I/O edge of ``sockpuppet.detect``).

Every reader returns a polars frame in the shape the pure functions expect and degrades to what
exists: the optional helper tables of the co-activity stage (``account_behavior_counts``,
``account_profile``, ``coactivity_events``) are used when present.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import polars as pl

from sockpuppet.detect.account_graph import shared_by_stratum
from sockpuppet.detect.schemas import schema
from sockpuppet.warehouse import scalar, sql_text, table_exists
from transforms.coactivity_pairs import SCHEMA as PAIRS_OUTPUT_SCHEMA

# The contract of coactivity_pairs is the transform's own output schema.
PAIRS_SCHEMA = schema(PAIRS_OUTPUT_SCHEMA)
ACTIVITY_SCHEMA = schema({
    "account_id": pl.String, "behavior": pl.String, "period": pl.Date, "events": pl.Int64
})
TRACES_SCHEMA = schema({"account_id": pl.String, "client": pl.String, "created_on": pl.Date})
EVENTS_SCHEMA = schema({
    "account_a": pl.String, "account_b": pl.String, "behavior": pl.String, "target": pl.String,
    "a_at": pl.Datetime("us"), "b_at": pl.Datetime("us"), "lag_s": pl.Float64,
})


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """Run a query; its full result as a polars frame (fetched completely, as DuckDB 2 wants)."""
    return con.sql(sql, params=params).pl()


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, **frames: pl.DataFrame) -> Iterator[None]:
    """Expose polars frames to SQL under the given names for the duration of a block."""
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def read_pairs(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    if not table_exists(con, "coactivity_pairs"):
        return pl.DataFrame(schema=PAIRS_SCHEMA)
    cols = ", ".join(PAIRS_SCHEMA)
    return query(con, f"select {cols} from coactivity_pairs").cast(PAIRS_SCHEMA)


def read_activity(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Co-activity events (target uses) per account, behaviour and period (empty when not built).

    Events, not distinct targets: shared targets are counted once per day (an account pushing
    one tag daily uses it on many days), so an account's chances to meet are its uses.
    """
    if not table_exists(con, "account_behavior_counts"):
        return pl.DataFrame(schema=ACTIVITY_SCHEMA)
    return query(
        con, "select account_id, behavior, period, events from account_behavior_counts"
    ).cast(ACTIVITY_SCHEMA)


def read_shared(
    con: duckdb.DuckDBPyConnection, pairs: pl.DataFrame, bounds: list[int]
) -> pl.DataFrame:
    """Shared target-days per pair, behaviour, period and popularity stratum.

    With ``coactivity_events`` and ``target_popularity`` targets are split by popularity and a
    target counts once per day the pair shared it; without them everything is one stratum,
    read from ``coactivity_pairs`` (distinct targets per period: a lower bound).
    """
    if table_exists(con, "coactivity_events") and table_exists(con, "target_popularity"):
        con.execute(sql_text("detect/echo_events"))
        counts = query(con, sql_text("detect/shared_by_popularity")).cast(
            {"period": pl.Date, "accounts": pl.Int64, "shared_targets": pl.Int64}
        )
    else:
        counts = pairs.select(
            "account_a", "account_b", "behavior", "period",
            pl.lit(None, pl.Int64).alias("accounts"), "shared_targets",
        )
    return shared_by_stratum(counts, bounds)


def activity_or_partners(activity: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """``account_behavior_counts``, or (not built) a lower bound from the pairs themselves."""
    if not activity.is_empty() or pairs.is_empty():
        return activity
    return (
        pl.concat([pairs.select(pl.col(c).alias("account_id"), "behavior", "period",
                                "shared_targets") for c in ("account_a", "account_b")])
        .group_by("account_id", "behavior", "period")
        .agg(pl.col("shared_targets").max().alias("events"))
        .cast(ACTIVITY_SCHEMA)
    )


def read_traces(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """(account_id, client, created_on): the dominant client app and the creation day."""
    if table_exists(con, "account_profile"):
        frame = query(
            con, "select account_id, dominant_client as client, created_on from account_profile"
        )
    else:
        frame = query(con, sql_text("detect/account_traces"))
    return frame.cast(TRACES_SCHEMA)


def read_history(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, int, int]:
    """(previous run's members (cluster_id, account_id), highest id number issued, next run_id)."""
    if not table_exists(con, "cluster_history"):
        return pl.DataFrame(schema={"cluster_id": pl.String, "account_id": pl.String}), 0, 1
    last_run = scalar(con, "select max(run_id) from cluster_history")
    last_number = scalar(
        con, "select max(try_cast(ltrim(cluster_id, 'C') as bigint)) from cluster_history"
    )
    next_run = (scalar(con, "select max(run_id) from detect_runs") or 0) + 1
    if last_run is None:
        return (pl.DataFrame(schema={"cluster_id": pl.String, "account_id": pl.String}),
                int(last_number or 0), next_run)
    previous = query(
        con, "select cluster_id, account_id from cluster_history where run_id = ?", [last_run]
    )
    return previous, int(last_number or 0), max(next_run, int(last_run) + 1)


def read_cluster_events(con: duckdb.DuckDBPyConnection, members: pl.DataFrame) -> pl.DataFrame:
    if not table_exists(con, "coactivity_events") or members.is_empty():
        return pl.DataFrame(schema=EVENTS_SCHEMA)
    with registered(con, detect_members=members.select("account_id", "cluster_id")):
        return query(con, sql_text("detect/cluster_events")).cast(EVENTS_SCHEMA)


def add_sample_texts(con: duckdb.DuckDBPyConnection, evidence: pl.DataFrame) -> pl.DataFrame:
    """Fill sample_text from the post behind each receipt's first co-action (account_id, at)."""
    if evidence.is_empty() or not table_exists(con, "posts"):
        return evidence
    receipts = evidence.select("cluster_id", "rank", "target", "account_id", "at")
    with registered(con, detect_receipts=receipts):
        texts = query(con, sql_text("detect/evidence_text"))
    if texts.is_empty():
        return evidence
    return evidence.drop("sample_text").join(
        texts.cast({"rank": pl.Int64}), on=["cluster_id", "rank"], how="left"
    )


def read_member_facts(
    con: duckdb.DuckDBPyConnection, members: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(entities, clients, releases) of clustered accounts, per cluster."""
    frames = []
    with registered(con, detect_members=members.select("account_id", "cluster_id")):
        for name, needs in (
            ("member_entities", "post_entities"),
            ("member_clients", "posts"),
            ("member_releases", "loads"),
        ):
            frames.append(query(con, sql_text(f"detect/{name}")) if table_exists(con, needs)
                          else None)
    entities = frames[0] if frames[0] is not None else pl.DataFrame(
        schema={"cluster_id": pl.String, "entity_type": pl.String, "value": pl.String,
                "accounts": pl.Int64, "events": pl.Int64})
    clients = frames[1] if frames[1] is not None else pl.DataFrame(
        schema={"cluster_id": pl.String, "client": pl.String, "accounts": pl.Int64,
                "events": pl.Int64, "all_accounts": pl.Int64})
    releases = frames[2] if frames[2] is not None else pl.DataFrame(
        schema={"cluster_id": pl.String, "release": pl.String})
    return entities, clients, releases


def read_switch_context(
    con: duckdb.DuckDBPyConnection, accounts: list[str], pairs: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(touches (account_id, partner, at), posts, hashtags) of candidate switchers."""
    switchers = pl.DataFrame({"account_id": accounts}, schema={"account_id": pl.String})
    with registered(con, detect_switchers=switchers):
        if table_exists(con, "coactivity_events"):
            con.execute(sql_text("detect/echo_events"))
            touches = query(con, sql_text("detect/switch_touches"))
        else:  # without events, the first and last co-action of each pair-period row
            rows = pairs.filter(
                pl.col("account_a").is_in(accounts) | pl.col("account_b").is_in(accounts)
            )
            touches = pl.concat(
                [
                    rows.select(pl.col("account_a").alias("account_id"),
                                pl.col("account_b").alias("partner"), pl.col(c).alias("at"))
                    for c in ("first_at", "last_at")
                ]
                + [
                    rows.select(pl.col("account_b").alias("account_id"),
                                pl.col("account_a").alias("partner"), pl.col(c).alias("at"))
                    for c in ("first_at", "last_at")
                ]
            ).filter(pl.col("account_id").is_in(accounts))
        posts = query(con, sql_text("detect/switch_posts"))
        hashtags = query(con, sql_text("detect/switch_hashtags"))
    return (
        touches.cast({"account_id": pl.String, "partner": pl.String, "at": pl.Datetime("us")}),
        posts.cast({"account_id": pl.String, "posted_at": pl.Datetime("us")}),
        hashtags.cast({"account_id": pl.String, "posted_at": pl.Datetime("us")}),
    )
