"""Plotly figures of the report: cluster networks, member activity, persona switches.

Every piece of archive text that reaches a figure (handles, ids, cluster names) goes through
:func:`safety.esc` first: plotly renders a subset of HTML in hover text, legends and labels.
Figures are returned as ``<div>`` snippets without plotly.js, which the page includes once.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import igraph
import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from sockpuppet.publish.safety import esc

# Distinct, print-friendly colours; a member keeps its colour in every figure of its cluster.
PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#7f7f7f", "#393b79", "#ad494a", "#637939", "#e6550d", "#7b4173", "#3182bd",
    "#31a354", "#756bb1", "#843c39", "#636363",
)
BEFORE, AFTER, SILENCE = "#7f8c9a", "#c0392b", "rgba(241, 196, 15, 0.25)"
FONT = "-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
STACK_MAX_MEMBERS = 12  # more members than this: a heat map reads better than stacked bars
BEHAVIOR_WORDS = {
    "co_retweet": "retweeted the same posts",
    "co_reply": "replied to the same posts",
    "co_url": "shared the same links",
    "co_text": "posted the same text",
    "co_hashtag": "used the same hashtags",
    "co_burst": "posted in the same bursts",
}


# Detection marks links, hashtags or text that reached a pair through a retweet as ":echo"
# (amplification, counted at half weight).
ECHO_WORDS = "by retweeting the same accounts"


def behavior_words(behavior: str | None) -> str:
    base, _, echo = (behavior or "").partition(":")
    words = BEHAVIOR_WORDS.get(base, base.replace("_", " "))
    return f"{words} {ECHO_WORDS}" if echo == "echo" else words


def member_colours(account_ids: list[str]) -> dict[str, str]:
    return {aid: PALETTE[i % len(PALETTE)] for i, aid in enumerate(account_ids)}


def to_div(fig: go.Figure, div_id: str) -> str:
    """Render the figure as a ``<div>`` + script, without plotly.js (the page embeds it once)."""
    return pio.to_html(
        fig, include_plotlyjs=False, full_html=False, div_id=div_id,
        config={"displaylogo": False, "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d"]},
    )


def _style(fig: go.Figure, height: int, **layout: Any) -> go.Figure:
    fig.update_layout(
        template="plotly_white", height=height, margin={"l": 50, "r": 20, "t": 30, "b": 40},
        font={"family": FONT, "size": 13, "color": "#222"}, hoverlabel={"font_family": FONT},
        **layout,
    )
    return fig


def spring_layout(ids: list[str], pairs: list[tuple[str, str, float]]) -> dict[str, tuple]:
    """Positions from igraph's Fruchterman-Reingold, seeded so the same data draws the same."""
    index = {aid: i for i, aid in enumerate(ids)}
    edges = [(index[a], index[b]) for a, b, _ in pairs]
    g = igraph.Graph(n=len(ids), edges=edges)
    weights = [max(w, 1e-6) for _, _, w in pairs] or None
    igraph.set_random_number_generator(random.Random(42))
    try:
        coords = g.layout_fruchterman_reingold(weights=weights).coords if ids else []
    finally:
        igraph.set_random_number_generator(random)
    return {aid: tuple(coords[i]) for aid, i in index.items()}


def network_figure(
    members: pl.DataFrame, edges: pl.DataFrame, colours: dict[str, str]
) -> go.Figure:
    """Draw the cluster's members as dots, joined where they acted alike (thicker = stronger)."""
    ids = members["account_id"].to_list()
    handle = dict(zip(ids, members["handle"].fill_null("").to_list(), strict=True))
    inside = edges.filter(pl.col("account_a").is_in(ids) & pl.col("account_b").is_in(ids))
    summed = (
        inside.group_by("account_a", "account_b")
        .agg(pl.col("weight").sum(), pl.col("shared_events").sum(),
             pl.col("behavior").unique().sort())
        .sort("account_a", "account_b")
    )
    pairs = [(r["account_a"], r["account_b"], float(r["weight"] or 0))
             for r in summed.iter_rows(named=True)]
    pos = spring_layout(ids, pairs)
    fig = go.Figure()
    top = max((w for *_, w in pairs), default=1.0) or 1.0
    # three line widths instead of one trace per edge: big clusters have thousands of edges
    for lo, hi, width, alpha in ((0, 0.2, 1, 0.25), (0.2, 0.6, 2.5, 0.45), (0.6, 1.01, 5, 0.7)):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, b, w in pairs:
            if lo <= w / top < hi:
                xs += [pos[a][0], pos[b][0], None]
                ys += [pos[a][1], pos[b][1], None]
        if xs:
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                     line={"width": width, "color": f"rgba(60,60,60,{alpha})"},
                                     showlegend=False))
    mid_text = [
        f"<b>{esc(handle[r['account_a']])}</b> &amp; <b>{esc(handle[r['account_b']])}</b><br>"
        + "<br>".join(esc(behavior_words(b)) for b in r["behavior"])
        + f"<br>{int(r['shared_events'] or 0)} shared actions"
        for r in summed.iter_rows(named=True)
    ]
    fig.add_trace(go.Scatter(
        x=[(pos[a][0] + pos[b][0]) / 2 for a, b, _ in pairs],
        y=[(pos[a][1] + pos[b][1]) / 2 for a, b, _ in pairs],
        mode="markers", marker={"size": 8, "opacity": 0}, hoverinfo="text",
        hovertext=mid_text, showlegend=False,
    ))
    posts = members["posts"].fill_null(0).to_list()
    fig.add_trace(go.Scatter(
        x=[pos[a][0] for a in ids], y=[pos[a][1] for a in ids],
        mode="markers+text" if len(ids) <= 15 else "markers",
        text=[esc(handle[a]) for a in ids], textposition="top center",
        textfont={"size": 12},
        marker={"size": [10 + 4 * min(p, 10_000) ** 0.25 for p in posts],
                "color": [colours[a] for a in ids], "line": {"width": 1.5, "color": "white"}},
        hoverinfo="text", showlegend=False,
        hovertext=[
            f"<b>{esc(handle[a])}</b><br>category: {esc(c) or 'unlabelled'}<br>"
            f"{int(p):,} posts<br>tie to cluster: {float(s or 0):.2f}"
            for a, c, p, s in zip(ids, members["category"].to_list(), posts,
                                  members["strength"].to_list(), strict=True)
        ],
    ))
    xs_all = [p[0] for p in pos.values()] or [0.0]
    ys_all = [p[1] for p in pos.values()] or [0.0]

    def padded(values: list[float], share: float) -> list[float]:
        # room for the handle labels, which plotly does not count when autoscaling
        lo, hi = min(values), max(values)
        pad = max(hi - lo, 1.0) * share
        return [lo - pad, hi + pad]

    axis = {"visible": False, "showgrid": False, "zeroline": False}
    return _style(fig, 420, xaxis=dict(axis, range=padded(xs_all, 0.25)),
                  yaxis=dict(axis, range=padded(ys_all, 0.12)), hovermode="closest")


def _bucket(span_days: int) -> tuple[str, str]:
    """Bar width for a time span: days for a few months, weeks for a few years, else months."""
    if span_days <= 120:
        return "1d", "day"
    if span_days <= 3 * 365:
        return "1w", "week"
    return "1mo", "month"


def activity_figure(
    days: pl.DataFrame, members: pl.DataFrame, colours: dict[str, str]
) -> tuple[go.Figure, str]:
    """Chart posts per day/week/month of each member: stacked bars, or a heat map if many."""
    ids = members["account_id"].to_list()
    handle = dict(zip(ids, members["handle"].fill_null("").to_list(), strict=True))
    days = days.filter(pl.col("account_id").is_in(ids))
    if days.is_empty():
        return _style(go.Figure(), 120), "day"
    active: list[date] = days["day"].to_list()
    every, unit = _bucket((max(active) - min(active)).days)
    binned = (
        days.with_columns(pl.col("day").dt.truncate(every).alias("bin"))
        .group_by("account_id", "bin").agg(pl.col("posts").sum()).sort("bin")
    )
    fig = go.Figure()
    if len(ids) <= STACK_MAX_MEMBERS:
        for aid in ids:
            one = binned.filter(pl.col("account_id") == aid)
            if one.is_empty():
                continue
            name = esc(handle[aid])
            fig.add_trace(go.Bar(
                x=one["bin"].to_list(), y=one["posts"].to_list(), name=name,
                marker_color=colours[aid], hoverinfo="text",
                hovertext=[f"<b>{name}</b><br>{unit} of {d:%d %b %Y}: {n:,} posts"
                           for d, n in zip(one["bin"], one["posts"], strict=True)],
            ))
        _style(fig, 320, barmode="stack", bargap=0.05, yaxis_title=f"posts per {unit}",
               legend={"orientation": "h", "y": -0.2, "traceorder": "normal"})
        return fig, unit
    bins = sorted(binned["bin"].unique().to_list())
    col = {d: i for i, d in enumerate(bins)}
    z = [[0] * len(bins) for _ in ids]
    row = {aid: i for i, aid in enumerate(ids)}
    for aid, d, n in binned.iter_rows():
        z[row[aid]][col[d]] = n
    fig.add_trace(go.Heatmap(
        z=z, x=bins, y=list(range(len(ids))), colorscale="Blues", hoverinfo="text",
        colorbar={"title": {"text": f"posts per {unit}"}},
        hovertext=[[f"<b>{esc(handle[aid])}</b><br>{unit} of {d:%d %b %Y}: {n:,} posts"
                    for d, n in zip(bins, z[row[aid]], strict=True)] for aid in ids],
    ))
    _style(fig, 120 + 18 * len(ids),
           yaxis={"tickvals": list(range(len(ids))), "autorange": "reversed",
                  "ticktext": [esc(handle[a])[:24] for a in ids]})
    return fig, unit


def switch_figure(
    days: pl.DataFrame, switch_at: date, from_cluster: str | None, to_cluster: str | None,
    window_days: int = 90,
) -> tuple[go.Figure, dict[str, Any]]:
    """Daily posts around a switch, the switch marked, the silence before it shaded.

    Returns the figure and the silence found in the data (last active day before the switch,
    first active day from it, days between).
    """
    lo, hi = switch_at - timedelta(days=window_days), switch_at + timedelta(days=window_days)
    near = days.filter(pl.col("day").is_between(lo, hi)).sort("day")
    active: list[date] = near["day"].to_list()
    if active:  # zoom to the activity, but keep at least two weeks on each side
        lo = min(max(lo, active[0] - timedelta(days=3)), switch_at - timedelta(days=14))
        hi = max(min(hi, active[-1] + timedelta(days=3)), switch_at + timedelta(days=14))
    before = near.filter(pl.col("day") < switch_at)
    after = near.filter(pl.col("day") >= switch_at)
    last_before = max((d for d in active if d < switch_at), default=None)
    first_after = min((d for d in active if d >= switch_at), default=None)
    silent_days = (first_after - last_before).days - 1 if last_before and first_after else None
    silence: dict[str, Any] = {"last_active_before": last_before,
                               "first_active_after": first_after, "silent_days": silent_days}
    fig = go.Figure()
    for part, colour, cluster in ((before, BEFORE, from_cluster), (after, AFTER, to_cluster)):
        label = f"with cluster {esc(cluster)}" if cluster else "unclustered"
        fig.add_trace(go.Bar(
            x=part["day"].to_list(), y=part["posts"].to_list(), marker_color=colour,
            name=("before: " if colour == BEFORE else "after: ") + label, hoverinfo="text",
            hovertext=[f"{d:%a %d %b %Y}: {n:,} posts" for d, n in
                       zip(part["day"], part["posts"], strict=True)],
        ))
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": switch_at, "x1": switch_at,
               "y0": 0, "y1": 1, "line": {"color": "#222", "width": 2, "dash": "dash"}}]
    notes = [{"x": switch_at, "y": 1, "yref": "paper", "text": "switch", "showarrow": False,
              "xanchor": "left", "yanchor": "bottom", "font": {"size": 12}}]
    if silent_days and last_before and first_after:
        shapes.insert(0, {"type": "rect", "xref": "x", "yref": "paper", "y0": 0, "y1": 1,
                          "x0": last_before + timedelta(days=1), "x1": first_after,
                          "fillcolor": SILENCE, "line": {"width": 0}, "layer": "below"})
        notes.append({"x": last_before + timedelta(days=1), "y": 1, "yref": "paper",
                      "text": f"silent {silent_days} days", "showarrow": False,
                      "xanchor": "right", "yanchor": "bottom",
                      "font": {"size": 12, "color": "#7d6608"}})
    _style(fig, 300, shapes=shapes, annotations=notes, bargap=0.1, yaxis_title="posts per day",
           legend={"orientation": "h", "y": -0.25}, xaxis={"range": [lo, hi]})
    return fig, silence


def sizes_figure(clusters: pl.DataFrame) -> go.Figure:
    """Cluster sizes, largest first, coloured by the researchers' label most members carry."""
    ordered = clusters.sort("size", descending=True).head(40)
    cats = ordered["dominant_category"].fill_null("unlabelled").to_list()
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(dict.fromkeys(cats))}
    fig = go.Figure()
    for cat in colour:
        part = ordered.filter(pl.col("dominant_category").fill_null("unlabelled") == cat)
        fig.add_trace(go.Bar(
            x=[esc(c) for c in part["cluster_id"]], y=part["size"].to_list(), name=esc(cat),
            marker_color=colour[cat], hoverinfo="text",
            hovertext=[f"<b>cluster {esc(c)}</b><br>{n} accounts, mostly {esc(cat)}"
                       for c, n in zip(part["cluster_id"], part["size"], strict=True)],
        ))
    return _style(fig, 300, yaxis_title="accounts", legend={"orientation": "h", "y": -0.25},
                  xaxis={"type": "category", "categoryorder": "array",
                         "categoryarray": [esc(c) for c in ordered["cluster_id"]]})
