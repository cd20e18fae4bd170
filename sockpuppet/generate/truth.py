"""Ground truth written beside the archive: who is in which planted team, and who switched."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sockpuppet.generate.world import World
from sockpuppet.generate.writers import account_style

TRUTH_HEADER = ("account_id", "team", "operation", "style")
SWITCHES_HEADER = ("account_id", "from_team", "to_team", "date")


def write_truth(world: World, out_dir: Path, layout: str) -> tuple[Path, Path]:
    """Write ``truth.csv`` and ``switches.csv`` into ``out_dir``.

    truth.csv lists every account (organic ones with empty team/operation, style 'organic').
    Ids are the layout's account ids; a switched account is listed under its final team (its
    history is in switches.csv).
    """
    ids = world.num_ids if layout == "ira-csv" else world.ids
    truth = out_dir / "truth.csv"
    with open(truth, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(TRUTH_HEADER)
        for acc in range(world.n):
            team = world.final_team(acc)
            if acc == world.feed:  # operated, but in neither team
                w.writerow([ids[acc], "", world.feed_op, "newsfeed"])
            elif team < 0:
                w.writerow([ids[acc], "", "", "organic"])
            else:
                t = world.teams[team]
                w.writerow([ids[acc], t.team_id, t.operation, account_style(world, acc)])
    switches = out_dir / "switches.csv"
    start = dt.date.fromisoformat(world.params.start)
    with open(switches, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(SWITCHES_HEADER)
        for sw in world.switches:
            w.writerow([ids[sw.acc], world.teams[sw.from_team].team_id,
                        world.teams[sw.to_team].team_id,
                        (start + dt.timedelta(days=sw.day)).isoformat()])
    return truth, switches
