"""Tiny core-table frames for transform tests (the schemas of sql/core/posts and post_entities)."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl

POSTS_SCHEMA = {
    "post_id": pl.String,
    "account_id": pl.String,
    "posted_at": pl.Datetime("us"),
    "kind": pl.String,
    "text": pl.String,
    "language": pl.String,
    "client": pl.String,
    "handle": pl.String,
    "display_name": pl.String,
    "target_key": pl.String,
}
ENTITIES_SCHEMA = {
    "post_id": pl.String,
    "account_id": pl.String,
    "posted_at": pl.Datetime("us"),
    "entity_type": pl.String,
    "value": pl.String,
}
T0 = datetime(2020, 1, 6, 12, 0)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def posts_frame(rows: list[dict]) -> pl.DataFrame:
    """Rows need account_id, minute (offset from T0), kind; the rest has defaults."""
    out = []
    for i, r in enumerate(rows):
        out.append(
            {
                "post_id": r.get("post_id", f"p{i}"),
                "account_id": r["account_id"],
                "posted_at": at(r["minute"]),
                "kind": r.get("kind", "post"),
                "text": r.get("text"),
                "language": r.get("language", "en"),
                "client": r.get("client", "web"),
                "handle": r.get("handle", r["account_id"].lower()),
                "display_name": r.get("display_name", r["account_id"].upper()),
                "target_key": r.get("target_key"),
            }
        )
    return pl.DataFrame(out, schema=POSTS_SCHEMA)


def entities_frame(rows: list[tuple[str, str, float, str, str]]) -> pl.DataFrame:
    """Rows (post_id, account_id, minute, entity_type, value)."""
    return pl.DataFrame(
        [(p, a, at(m), t, v) for p, a, m, t, v in rows], schema=ENTITIES_SCHEMA, orient="row"
    )
