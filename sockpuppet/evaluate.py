"""Scores detection output against ground truth (generated archives) or IRA's labels.

Inputs are the detection tables of the contract: ``operator_clusters(account_id, cluster_id,
strength)`` (clustered accounts only) and ``persona_switches(account_id, switch_at, ...)``.

Against a generated archive's ``truth.csv`` / ``switches.csv``:

- **precision / recall** of "is in a cluster", where a positive is an account of a planted team.
  Operated accounts outside every team (the shared news feed: operation set, team empty) are
  left out of every score: clustering them is neither right nor wrong.
- **ARI** (adjusted Rand index) of clusters against teams, over the accounts that are in a team
  or in a cluster; an organic account that was clustered, and a team account that was not, are
  each their own singleton on the side that does not group them. Organic accounts left alone by
  both sides are excluded: they would agree trivially and inflate the score. 1 is perfect, 0 is
  what a random assignment with the same cluster sizes scores.
- **teams recovered**: a team is recovered when one cluster holds at least half of the team
  and at least half of that cluster is the team.
- **switch recall**: a planted switch is found when a detected switch of the same account lies
  within ``window_days`` (14) of its date. **False switches per 100 planted accounts**: detected
  switches matching no planted switch, per 100 accounts of planted teams.

Against IRA's hand labels (no truth): **weighted purity** of clusters against
``accounts.category`` (each cluster's majority-label share, weighted by cluster size) and the
**share of accounts clustered**. `score_against_categories` scores any (account_id, cluster_id)
frame that way, so a peer tool's clusters can be compared on equal terms.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl

SWITCH_WINDOW_DAYS = 14
NO_LABEL = "(none)"


# --- ground truth --------------------------------------------------------------------------
def read_truth(truth_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(truth, switches) frames from ``truth.csv`` and ``switches.csv`` (all text, date typed)."""
    truth = pl.read_csv(truth_dir / "truth.csv", infer_schema=False).with_columns(
        pl.col("team").fill_null(""), pl.col("operation").fill_null("")
    )
    switches = pl.read_csv(truth_dir / "switches.csv", infer_schema=False).with_columns(
        pl.col("date").str.to_date("%Y-%m-%d")
    )
    return truth, switches


# --- adjusted Rand index -------------------------------------------------------------------
def _pairs(counts: np.ndarray) -> float:
    counts = counts.astype(np.float64)
    return float((counts * (counts - 1) / 2).sum())


def adjusted_rand_index(labels_true: Sequence[Hashable], labels_pred: Sequence[Hashable]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings of the same items.

    The contingency table is kept sparse (one count per co-occurring label pair), so many
    singletons cost nothing. When neither labeling has a pair of items together (or both put
    everything together) the index is undefined; we return 1.0 if the labelings are equal
    partitions and 0.0 otherwise.
    """
    if len(labels_true) != len(labels_pred):
        raise ValueError("labelings differ in length")
    n = len(labels_true)
    if n < 2:
        return 1.0
    _, t = np.unique(np.asarray(labels_true, dtype=object).astype(str), return_inverse=True)
    _, p = np.unique(np.asarray(labels_pred, dtype=object).astype(str), return_inverse=True)
    _, n_ij = np.unique(np.stack([t, p]), axis=1, return_counts=True)
    index = _pairs(n_ij)
    sum_a = _pairs(np.bincount(t))
    sum_b = _pairs(np.bincount(p))
    expected = sum_a * sum_b / (n * (n - 1) / 2)
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0 if index == maximum else 0.0
    return (index - expected) / (maximum - expected)


# --- cluster metrics against teams ---------------------------------------------------------
def _filled(truth: pl.DataFrame) -> pl.DataFrame:
    """Truth with empty team / operation as "" (CSV readers give nulls)."""
    return truth.with_columns(pl.col("team").fill_null(""), pl.col("operation").fill_null(""))


def scored_truth(truth: pl.DataFrame) -> pl.DataFrame:
    """Truth without the accounts no score counts (operated but in no team)."""
    truth = _filled(truth)
    return truth.filter((pl.col("team") != "") | (pl.col("operation") == ""))


def scored_clusters(clusters: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """Clusters without the accounts no score counts (operated but in no team)."""
    truth = _filled(truth)
    ignored = truth.filter((pl.col("team") == "") & (pl.col("operation") != ""))["account_id"]
    return clusters.filter(~pl.col("account_id").is_in(ignored.implode()))


def membership_scores(clusters: pl.DataFrame, truth: pl.DataFrame) -> dict[str, Any]:
    """Precision, recall and F1 of "account is clustered" for "account is in a planted team"."""
    scored = scored_truth(truth)
    positives = set(scored.filter(pl.col("team") != "")["account_id"].to_list())
    ignored = set(truth["account_id"].to_list()) - set(scored["account_id"].to_list())
    clustered = set(clusters["account_id"].to_list()) - ignored
    tp = len(clustered & positives)
    precision = tp / len(clustered) if clustered else 0.0
    recall = tp / len(positives) if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "clustered": len(clustered),
            "planted_accounts": len(positives), "true_positives": tp}


def team_ari(clusters: pl.DataFrame, truth: pl.DataFrame) -> float:
    """ARI of clusters against teams over accounts in a team or a cluster (see module doc)."""
    scored = scored_truth(truth)
    team_of = dict(zip(scored["account_id"].to_list(), scored["team"].to_list(), strict=True))
    ignored = set(truth["account_id"].to_list()) - set(team_of)
    cluster_of = {a: c for a, c in zip(clusters["account_id"].to_list(),
                                       clusters["cluster_id"].to_list(), strict=True)
                  if a not in ignored}
    universe = sorted({a for a, t in team_of.items() if t} | set(cluster_of))
    true = [team_of.get(a) or f"single:{a}" for a in universe]
    pred = [cluster_of.get(a) or f"single:{a}" for a in universe]
    return adjusted_rand_index(true, pred)


def team_recovery(clusters: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """One row per team: its best cluster, overlap, the cluster's purity and whether recovered.

    Recovered: the cluster holds at least half the team and is at least half made of the team.
    """
    teams = _filled(truth).filter(pl.col("team") != "").select("account_id", "team")
    clusters = scored_clusters(clusters, truth)
    sizes = teams.group_by("team").agg(pl.len().alias("team_size"))
    cluster_sizes = clusters.group_by("cluster_id").agg(pl.len().alias("cluster_size"))
    overlap = (
        teams.join(clusters.select("account_id", "cluster_id"), on="account_id")
        .group_by("team", "cluster_id").agg(pl.len().alias("overlap"))
        .join(cluster_sizes, on="cluster_id")
        .sort("team", "overlap", "cluster_id", descending=[False, True, False])
        .group_by("team", maintain_order=True).first()
    )
    return (
        sizes.join(overlap, on="team", how="left")
        .with_columns(pl.col("overlap").fill_null(0))
        .with_columns(
            (pl.col("overlap") / pl.col("cluster_size")).fill_null(0.0).alias("purity"),
            (pl.col("overlap") / pl.col("team_size")).alias("coverage"),
        )
        .with_columns(((pl.col("coverage") >= 0.5) & (pl.col("purity") >= 0.5))
                      .alias("recovered"))
        .sort("team")
        .select("team", "team_size", "cluster_id", "cluster_size", "overlap", "coverage",
                "purity", "recovered")
    )


# --- switches --------------------------------------------------------------------------------
def switch_scores(detected: pl.DataFrame, planted: pl.DataFrame, planted_accounts: int,
                  window_days: int = SWITCH_WINDOW_DAYS) -> dict[str, Any]:
    """Recall of planted switches and false switches per 100 planted accounts.

    ``detected``: account_id, switch_at (date); ``planted``: account_id, date. Each planted
    switch is matched by at most one detected switch of the same account within the window
    (nearest first); unmatched detected switches are false.
    """
    det = [(a, _as_date(d)) for a, d in zip(detected["account_id"].to_list(),
                                             detected["switch_at"].to_list(), strict=True)]
    used: set[int] = set()
    found = 0
    for acc, when in zip(planted["account_id"].to_list(), planted["date"].to_list(),
                         strict=True):
        when = _as_date(when)
        options = [(abs((d - when).days), i) for i, (a, d) in enumerate(det)
                   if a == acc and i not in used and abs((d - when).days) <= window_days]
        if options:
            used.add(min(options)[1])
            found += 1
    false = len(det) - len(used)
    return {
        "switch_recall": found / planted.height if planted.height else None,
        "switches_planted": planted.height,
        "switches_detected": len(det),
        "switches_found": found,
        "false_switches": false,
        "false_switches_per_100": 100 * false / planted_accounts if planted_accounts else None,
    }


def _as_date(value: Any) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):  # before date: datetime is a date subclass
        return value.date()
    return value


def score_against_truth(clusters: pl.DataFrame, switches: pl.DataFrame, truth: pl.DataFrame,
                        planted_switches: pl.DataFrame) -> dict[str, Any]:
    """Every synthetic-truth metric (see the module doc)."""
    member = membership_scores(clusters, truth)
    recovery = team_recovery(clusters, truth)
    return {
        **member,
        "ari": team_ari(clusters, truth),
        "clusters": clusters["cluster_id"].n_unique(),
        "teams": recovery.height,
        "teams_recovered": int(recovery["recovered"].sum()),
        **switch_scores(switches, planted_switches, member["planted_accounts"]),
        "team_table": recovery,
    }


# --- IRA labels ------------------------------------------------------------------------------
def weighted_purity(clusters: pl.DataFrame, categories: pl.DataFrame) -> float | None:
    """Σ over clusters of the majority label's count / clustered accounts.

    Accounts without a label count as the label "(none)".
    """
    if clusters.height == 0:
        return None
    labelled = _labelled(clusters, categories)
    majority = (labelled.group_by("cluster_id", "category").agg(pl.len().alias("n"))
                .group_by("cluster_id").agg(pl.col("n").max()))
    return float(majority["n"].sum() / labelled.height)


def _labelled(clusters: pl.DataFrame, categories: pl.DataFrame) -> pl.DataFrame:
    return (clusters.select("account_id", "cluster_id")
            .join(categories.select("account_id", "category").unique("account_id", keep="first"),
                  on="account_id", how="left")
            .with_columns(pl.col("category").fill_null(NO_LABEL)))


def score_against_categories(clusters: pl.DataFrame, categories: pl.DataFrame,
                             total_accounts: int | None = None) -> dict[str, Any]:
    """Purity of any (account_id, cluster_id) frame against (account_id, category) labels.

    ``total_accounts`` (accounts that posted) gives the share clustered; by default the
    labelled accounts are the total. ``category_ari`` is the ARI of clusters against
    categories among clustered accounts (how well clusters split the labels, not only purity).
    """
    total = total_accounts if total_accounts is not None else categories["account_id"].n_unique()
    labelled = _labelled(clusters, categories)
    sizes = clusters.group_by("cluster_id").agg(pl.len().alias("n"))["n"].to_numpy()
    return {
        "weighted_purity": weighted_purity(clusters, categories),
        "clustered": clusters["account_id"].n_unique(),
        "accounts": total,
        "share_clustered": clusters["account_id"].n_unique() / total if total else None,
        "clusters": clusters["cluster_id"].n_unique(),
        "median_cluster_size": float(np.median(sizes)) if len(sizes) else None,
        "largest_cluster": int(sizes.max()) if len(sizes) else None,
        "category_ari": adjusted_rand_index(labelled["category"].to_list(),
                                            labelled["cluster_id"].to_list())
        if labelled.height else None,
    }


# --- the warehouse -----------------------------------------------------------------------------
def _frame(con: duckdb.DuckDBPyConnection, query: str, schema: dict[str, Any]) -> pl.DataFrame:
    try:
        return con.sql(query).pl()
    except duckdb.CatalogException:  # detection has not run yet: nothing detected
        return pl.DataFrame(schema=schema)


def evaluate_warehouse(con: duckdb.DuckDBPyConnection, truth_dir: Path | None) -> dict[str, Any]:
    """Score the warehouse's detection tables against ``truth_dir``.

    Without ``truth_dir``, score them against the IRA categories in ``accounts``.
    """
    clusters = _frame(con, "select account_id::varchar account_id, cluster_id::varchar cluster_id "
                           "from operator_clusters", {"account_id": pl.String,
                                                      "cluster_id": pl.String})
    if truth_dir is not None:
        switches = _frame(con, "select account_id::varchar account_id, switch_at::date switch_at "
                               "from persona_switches",
                          {"account_id": pl.String, "switch_at": pl.Date})
        truth, planted = read_truth(Path(truth_dir))
        return score_against_truth(clusters, switches, truth, planted)
    categories = con.sql(
        "select account_id, any_value(category order by load_id desc) as category "
        "from accounts group by account_id"
    ).pl()
    total = con.execute("select count(distinct account_id) from posts").fetchall()[0][0]
    return score_against_categories(clusters, categories, int(total))


# --- report ----------------------------------------------------------------------------------
def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_report(metrics: dict[str, Any]) -> str:
    """Render the metrics as a plain two-column table, then any per-team table."""
    rows = [(k, _fmt(v)) for k, v in metrics.items() if not isinstance(v, pl.DataFrame)]
    width = max((len(k) for k, _ in rows), default=6)
    lines = [f"{'metric':<{width}}  value", f"{'-' * width}  -----"]
    lines += [f"{k:<{width}}  {v}" for k, v in rows]
    for key, value in metrics.items():
        if isinstance(value, pl.DataFrame):
            lines += ["", key, _table(value)]
    return "\n".join(lines)


def _table(frame: pl.DataFrame) -> str:
    header = frame.columns
    body = [[_fmt(v) for v in row] for row in frame.iter_rows()]
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h)
              for i, h in enumerate(header)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in body]
    return "\n".join(out)
