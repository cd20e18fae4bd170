"""Plain-text summaries printed by `sockpuppet run` and `sockpuppet status`."""

from __future__ import annotations

from typing import Any

from sockpuppet.settings import Settings
from sockpuppet.warehouse import connect, fetch_all, sql_text, table_exists


def print_warehouse_status(settings: Settings) -> None:
    """Loads, row counts and the quarantine's most common reasons."""
    if not settings.warehouse_path.exists():
        print(f"{settings.warehouse_path}: no warehouse yet (run `sockpuppet ingest`)")
        return
    con = connect(settings.warehouse_path, read_only=True, settings=settings)
    try:
        print(f"warehouse {settings.warehouse_path}")
        for status, files, rows, bad in fetch_all(con, sql_text("status/loads_by_status")):
            print(f"  loads {status:<9} {files:>5} files  {rows:>12,} rows  {bad:>9,} quarantined")
        for table in ("accounts", "posts", "post_entities", "quarantine", "account_timeline",
                      "coactivity_pairs", "operator_clusters", "persona_switches"):
            if table_exists(con, table):
                # table names come from the tuple above, never from input
                n = fetch_all(con, f"select count(*) from {table}")[0][0]
                print(f"  {table:<18} {n:>12,}")
        reasons = fetch_all(con, sql_text("status/quarantine_reasons"))
        if reasons:
            print("  most common quarantine reasons:")
            for reason, n in reasons:
                print(f"    {n:>9,}  {reason}")
        for key, message in fetch_all(con, sql_text("ledger/recent_failures")):
            print(f"  failed: {key}: {message}")
    finally:
        con.close()


def print_run_summary(settings: Settings, summary: dict[str, Any]) -> None:
    """What `run` did: the stages, then the largest clusters with their evidence if detected."""
    loads = summary.get("ingest", [])
    print(
        f"\ningest: {sum(r['rows_loaded'] for r in loads):,} rows loaded, "
        f"{sum(r['rows_quarantined'] for r in loads):,} quarantined from {len(loads)} files"
    )
    for stage in ("build", "detect"):
        if stage in summary:
            print(f"{stage}: {_short(summary[stage])}")
    con = connect(settings.warehouse_path, read_only=True, settings=settings)
    try:
        if table_exists(con, "clusters"):
            _print_top_clusters(con)
    finally:
        con.close()
    if "publish" in summary:
        print(f"\npublished: {summary['publish']}")
        print(f"report:    {summary['publish']}/report.html")


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if not isinstance(v, dict | list))
    return str(value)


def _print_top_clusters(con: Any, limit: int = 5) -> None:
    rows = fetch_all(con, sql_text("status/top_clusters"), {"limit": limit})
    if not rows:
        print("\nno operator clusters found")
        return
    print("\nlargest clusters:")
    has_evidence = table_exists(con, "cluster_evidence")
    for cluster_id, size, description in rows:
        print(f"  {cluster_id}  {size} accounts  {description}")
        if has_evidence:
            for behavior, target, accounts, max_lag, sample in fetch_all(
                con, sql_text("status/cluster_receipts"), {"cluster_id": cluster_id}
            ):
                lag = f", within {max_lag:.0f}s" if max_lag is not None else ""
                # Tweet and text targets are ids or hashes: show the text itself.
                hashed = str(target).startswith(("txt:", "text:", "tw:"))
                shown = " ".join(str(sample).split()) if sample and hashed else str(target)
                print(f"      {behavior}: {accounts} accounts on {shown[:70]!r}{lag}")
