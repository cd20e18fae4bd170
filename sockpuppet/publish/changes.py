"""What changed since the last published run: new, grown, shrunk, merged, split clusters.

Compares cluster membership with the previous run's ``findings.json`` (what readers last
saw), so it works whatever detection did in between. Without a previous run, detection's own
``clusters.status`` (versus its previous run) is reported instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

# Worst to mildest, for sorting the "what changed" table.
CHANGE_ORDER = ("new", "merged", "split", "grown", "shrunk", "changed", "dissolved",
                "persisting")
EXPLAIN = {
    "new": "a group not seen in the last run",
    "merged": "two or more earlier groups now act as one",
    "split": "part of an earlier group that broke up",
    "grown": "the same group with more accounts",
    "shrunk": "the same group with fewer accounts",
    "changed": "the same group with some accounts swapped",
    "dissolved": "an earlier group not found this time",
    "persisting": "unchanged",
}


def memberships(members: Sequence[Mapping[str, Any]]) -> dict[str, set[str]]:
    """{cluster_id: {account_id}} from member rows (``v_cluster_members`` / findings.json)."""
    out: dict[str, set[str]] = {}
    for row in members:
        out.setdefault(str(row["cluster_id"]), set()).add(str(row["account_id"]))
    return out


def previous_memberships(run_folder: Path | None) -> dict[str, set[str]] | None:
    """Membership in an earlier run's findings.json, or None without a readable one."""
    if run_folder is None:
        return None
    try:
        findings = json.loads((run_folder / "findings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return memberships(findings.get("members", []))


def _compare(now: set[str], before: set[str]) -> str:
    if now == before:
        return "persisting"
    if len(now) > len(before):
        return "grown"
    if len(now) < len(before):
        return "shrunk"
    return "changed"


def diff_clusters(
    previous: dict[str, set[str]] | None,
    current: dict[str, set[str]],
    detect_status: Mapping[str, str | None] | None = None,
) -> list[dict[str, Any]]:
    """One row per current cluster (and per dissolved earlier one), worst change first.

    Rules: merged when ≥ 2 earlier clusters each put at least half their members into this
    one; split when its main earlier cluster now has ≥ 2 members in each of ≥ 2 clusters;
    new when no member was clustered before; otherwise grown/shrunk/changed/persisting versus
    the earlier cluster it shares most members with (normally the one with the same id).
    """
    detect_status = detect_status or {}
    rows: list[dict[str, Any]] = []
    if previous is None:
        for cid, now in current.items():
            rows.append({"cluster_id": cid, "change": detect_status.get(cid) or "new",
                         "size": len(now), "previous_size": None, "previous_clusters": [],
                         "joined": len(now), "left": 0, "basis": "detection"})
        return _sorted(rows)

    # how many members each earlier cluster has in each current one
    spread: dict[str, dict[str, int]] = {pid: {} for pid in previous}
    for cid, now in current.items():
        for pid, before in previous.items():
            if n := len(now & before):
                spread[pid][cid] = n

    for cid, now in current.items():
        overlaps = {pid: spread[pid][cid] for pid in previous if cid in spread[pid]}
        sources = sorted(p for p, n in overlaps.items() if n * 2 >= len(previous[p]))
        main = cid if cid in overlaps else max(overlaps, key=lambda p: (overlaps[p], p),
                                               default=None)
        if len(sources) >= 2:
            change = "merged"
        elif main is None:
            change = "new"
        elif sum(1 for n in spread[main].values() if n >= 2) >= 2:
            change = "split"
        else:
            change = _compare(now, previous[main])
        before = set().union(*(previous[p] for p in overlaps)) if overlaps else set()
        rows.append({
            "cluster_id": cid, "change": change, "size": len(now),
            "previous_size": len(previous[main]) if main else None,
            "previous_clusters": sorted(overlaps), "joined": len(now - before),
            "left": len(previous[main] - now) if main else 0, "basis": "previous run",
        })
    for pid, before in previous.items():
        if not spread[pid]:
            rows.append({"cluster_id": pid, "change": "dissolved", "size": 0,
                         "previous_size": len(before), "previous_clusters": [pid],
                         "joined": 0, "left": len(before), "basis": "previous run"})
    return _sorted(rows)


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rank = {c: i for i, c in enumerate(CHANGE_ORDER)}
    for row in rows:
        row["explanation"] = EXPLAIN.get(row["change"], "")
    return sorted(rows, key=lambda r: (rank.get(r["change"], len(rank)), -r["size"],
                                       r["cluster_id"]))
