"""``report.html``: one self-contained page for a journalist (no network requests at all).

plotly.js is inlined once in the page head; each figure is a ``<div>`` with its data. The
page is rendered by jinja2 with autoescape on, so archive text in tables and headings is
always escaped; figure snippets (marked safe) escape their own text (see ``figures.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import polars as pl
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from sockpuppet.publish import figures
from sockpuppet.publish.changes import EXPLAIN
from sockpuppet.publish.findings import Findings
from sockpuppet.publish.safety import unique_slugs

TEMPLATES = Path(__file__).parent / "templates"
IRA_CREDIT = (
    "IRA tweets collected and hand-labelled by Darren Linvill and Patrick Warren "
    "(Clemson University), published by FiveThirtyEight."
)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every {{ value }} is escaped unless it is a Markup figure snippet
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v: "–" if v is None else f"{v:,}"
    env.filters["when"] = when
    return env


def when(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value:%d %b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    return "" if value is None else str(value)


def lag_words(seconds: float | None) -> str:
    """Say a time lag in words; archives have minute resolution, so 0 s is 'same minute'."""
    if seconds is None:
        return ""
    if seconds < 60:
        return "within the same minute"
    if seconds < 3600:
        return f"within {round(seconds / 60)} min"
    if seconds < 86_400:
        return f"within {seconds / 3600:.1f} h"
    return f"within {seconds / 86_400:.1f} days"


def time_span(times: list[datetime] | None) -> str:
    times = sorted(t for t in times or [] if t is not None)
    if not times:
        return ""
    first, last = times[0], times[-1]
    if first.date() == last.date():
        return f"{first:%d %b %Y %H:%M}–{last:%H:%M}"
    return f"{first:%d %b %Y %H:%M} – {last:%d %b %Y %H:%M}"


def ira_loaded(loads: pl.DataFrame) -> bool:
    live = loads.filter(pl.col("status") == "loaded")
    layouts = live["layout"].fill_null("").to_list()
    releases = live["release"].fill_null("").to_list()
    return any(lay.startswith("ira") for lay in layouts) or any(
        r.lower().startswith("irahandle") for r in releases)


def _cluster_sections(f: Findings, days: pl.DataFrame, settings: Any,
                      changes: dict[str, dict], slugs: dict) -> list[dict[str, Any]]:
    sections = []
    for c in f.clusters.sort(["size", "cluster_id"], descending=[True, False]).head(
            settings.report_clusters).iter_rows(named=True):
        cid = c["cluster_id"]
        members = f.members.filter(pl.col("cluster_id") == cid).sort(
            ["strength", "account_id"], descending=[True, False], nulls_last=True)
        colours = figures.member_colours(members["account_id"].to_list())
        slug = slugs[cid]
        activity, unit = figures.activity_figure(days, members, colours)
        evidence = f.evidence.filter(pl.col("cluster_id") == cid).sort("rank").head(
            settings.report_evidence_rows)
        sections.append({
            "id": cid, "slug": slug, "size": c["size"], "description": c.get("description"),
            "category": c.get("dominant_category"),
            "category_share": c.get("dominant_category_share"),
            "behaviors": [figures.behavior_words(b) for b in c.get("behaviors") or []],
            "first_at": c.get("first_at"), "last_at": c.get("last_at"),
            "change": changes.get(cid),
            "network": Markup(figures.to_div(
                figures.network_figure(members, f.edges, colours), f"net-{slug}")),
            "activity": Markup(figures.to_div(activity, f"act-{slug}")),
            "unit": unit,
            "members": [dict(m, colour=colours[m["account_id"]])
                        for m in members.iter_rows(named=True)],
            "evidence": [
                {"rank": e["rank"], "what": figures.behavior_words(e["behavior"]),
                 "target": e["target"], "text": e["sample_text"],
                 "handles": e["handles"] or e["accounts"] or [],
                 "span": time_span(e["times"]), "lag": lag_words(e["max_lag_s"])}
                for e in evidence.iter_rows(named=True)
            ],
        })
    return sections


def _switch_sections(f: Findings, days: pl.DataFrame, settings: Any,
                     slugs: dict) -> list[dict[str, Any]]:
    sections = []
    for i, s in enumerate(f.switches.sort(["switch_at", "account_id"]).head(
            settings.report_switches).iter_rows(named=True)):
        own = days.filter(pl.col("account_id") == s["account_id"]).select("day", "posts")
        fig, silence = figures.switch_figure(own, s["switch_at"], s["from_cluster"],
                                             s["to_cluster"])
        sections.append({
            **s, "slug": f"switch-{i + 1}",
            "from_slug": slugs.get(s["from_cluster"]), "to_slug": slugs.get(s["to_cluster"]),
            "figure": Markup(figures.to_div(fig, f"sw-{i + 1}")), "silence": silence,
        })
    return sections


def render_report(
    f: Findings, days: pl.DataFrame, settings: Any, run: dict[str, Any],
    changes: list[dict[str, Any]], skipped: dict[str, str], graph: dict[str, Any],
) -> str:
    """Render the report page as a string."""
    slugs = unique_slugs([*f.clusters["cluster_id"].to_list(),
                          *f.members["cluster_id"].to_list()])
    by_cluster = {c["cluster_id"]: c for c in changes}
    clusters = _cluster_sections(f, days, settings, by_cluster, slugs)
    shown = {c["id"] for c in clusters}
    loads = f.loads.filter(pl.col("status") == "loaded")
    context = {
        "run": run,
        "totals": f.totals,
        "n_clusters": f.clusters.height,
        "n_clustered": f.members.height,
        "n_switches": f.switches.height,
        "releases": sorted({r for r in loads["release"].to_list() if r}),
        "loads": loads.to_dicts(),
        "changes": changes,
        "change_words": EXPLAIN,
        "changes_basis": changes[0]["basis"] if changes else None,
        "sizes": Markup(figures.to_div(figures.sizes_figure(f.clusters), "sizes"))
        if f.clusters.height else None,
        "all_clusters": [dict(c, slug=slugs[c["cluster_id"]],
                              shown=c["cluster_id"] in shown,
                              behavior_words=[figures.behavior_words(b)
                                              for b in c.get("behaviors") or []])
                         for c in f.clusters.iter_rows(named=True)],
        "clusters": clusters,
        "switches": _switch_sections(f, days, settings, slugs),
        "more_clusters": max(0, f.clusters.height - len(clusters)),
        "more_switches": max(0, f.switches.height - settings.report_switches),
        "behavior_words": figures.BEHAVIOR_WORDS,
        "credit_ira": IRA_CREDIT if ira_loaded(f.loads) else None,
        "skipped": skipped,
        "graph": graph,
        "plotly_js": Markup(get_plotlyjs()),
    }
    return _environment().get_template("report.html.j2").render(**context)


def write_report(path: Path, html: str) -> None:
    path.write_text(html, encoding="utf-8")
