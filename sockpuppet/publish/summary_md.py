"""``summary.md``: the report's headlines as text, for mail or chat."""

from __future__ import annotations

from typing import Any

import polars as pl

from sockpuppet.publish.figures import behavior_words
from sockpuppet.publish.findings import Findings
from sockpuppet.publish.report import IRA_CREDIT, ira_loaded, when
from sockpuppet.publish.safety import md_text


def _handles(values: list[str] | None, limit: int = 5) -> str:
    values = [v for v in values or [] if v]
    shown = ", ".join(md_text(v, 40) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def render_summary(f: Findings, run: dict[str, Any], changes: list[dict[str, Any]],
                   top: int = 10) -> str:
    t = f.totals
    lines = [
        f"# Shared-operator clusters — run {run['run_id']}",
        "",
        f"- {t.get('archives') or 0:,} archive files, {t.get('accounts') or 0:,} accounts, "
        f"{t.get('posts') or 0:,} posts",
        f"- **{f.clusters.height:,} clusters** ({f.members.height:,} accounts) that act so alike "
        "that one operator probably runs each",
        f"- **{f.switches.height:,} persona switch{'es' if f.switches.height != 1 else ''}** "
        "(accounts that moved to another cluster)",
    ]
    notable = [c for c in changes if c["change"] not in ("persisting",)]
    if notable:
        basis = "since the last run" if changes[0]["basis"] == "previous run" else "(detection)"
        lines += ["", f"## What changed {basis}", ""]
        for c in notable[:top]:
            before = f" (was {c['previous_size']})" if c.get("previous_size") is not None else ""
            lines.append(f"- {md_text(c['cluster_id'])}: **{c['change']}**, "
                         f"{c['size']} accounts{before}")
    if f.clusters.height:
        lines += ["", "## Largest clusters", ""]
        for c in f.clusters.sort("size", descending=True).head(top).iter_rows(named=True):
            mostly = f", mostly {md_text(c['dominant_category'])}" if c.get(
                "dominant_category") else ""
            did = "; ".join(behavior_words(b) for b in c.get("behaviors") or [])
            lines.append(f"- **{md_text(c['cluster_id'])}** — {c['size']} accounts{mostly}: "
                         f"{did or 'acted alike'}. {_handles(c.get('handles'))}")
    if f.switches.height:
        lines += ["", "## Persona switches", ""]
        for s in f.switches.sort("switch_at").head(top).iter_rows(named=True):
            days = s.get("silence_days")
            silence = f", after {days:.0f} silent day{'' if days == 1 else 's'}" if days else ""
            lines.append(
                f"- {md_text(s.get('handle') or s['account_id'], 60)}: "
                f"{md_text(s['from_cluster'] or 'no cluster')} → "
                f"{md_text(s['to_cluster'] or 'no cluster')} on {when(s['switch_at'])}{silence}"
            )
    lines += ["", "Full report: report.html (self-contained; open in any browser)."]
    if ira_loaded(f.loads.filter(pl.col("status") == "loaded")):
        lines += ["", f"_{IRA_CREDIT}_"]
    return "\n".join(lines) + "\n"
