import datetime as dt

import polars as pl

from sockpuppet.detect.persona_switches import persona_switches, refine_day, switch_candidates

P = [dt.date(2020, m, 1) for m in (1, 2, 3, 4)]
A = ["a1", "a2", "a3"]
B = ["b1", "b2", "b3"]


def members() -> pl.DataFrame:
    rows = [(a, "C0001") for a in A + ["s"]] + [(b, "C0002") for b in B]
    return pl.DataFrame(rows, schema={"account_id": pl.String, "cluster_id": pl.String},
                        orient="row")


def period_edges(rows) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"account_a": pl.String, "account_b": pl.String,
                                      "period": pl.Date, "surprise": pl.Float64}, orient="row")


def switcher_edges():
    rows = []
    for p in P[:2]:
        rows += [(a, "s", p, 20.0) for a in A]  # a* < s
    for p in P[2:]:
        rows += [(b, "s", p, 25.0) for b in B] + [("a1", "s", p, 2.0)]  # a lingering echo
    # the teams among themselves, every period
    for p in P:
        rows += [("a1", "a2", p, 30.0), ("a2", "a3", p, 30.0), ("b1", "b2", p, 30.0)]
    return period_edges(rows)


def test_switch_found_at_period_resolution(settings):
    cands = switch_candidates(switcher_edges(), members(), settings)
    assert cands.select("account_id", "from_cluster", "to_cluster",
                        "last_from_period", "first_to_period").rows() == [
        ("s", "C0001", "C0002", P[1], P[2])
    ]
    assert set(cands["partners_before"][0]) == set(A)
    assert set(cands["partners_after"][0]) <= set(B) | {"a1"}


def test_flapping_or_mixed_accounts_are_not_switches(settings):
    rows = [(a, "s", p, 20.0) for p in P for a in A] + [(b, "s", P[1], 5.0) for b in B]
    assert switch_candidates(period_edges(rows), members(), settings).is_empty()


def test_refine_day_splits_old_and_new_touches():
    t = dt.datetime(2020, 2, 1)
    touches = pl.DataFrame(
        {
            "at": [t + dt.timedelta(days=d) for d in (0, 3, 6, 9, 12, 14, 15, 17, 20)],
            "cluster_id": ["C1", "C1", "C1", "C1", "C2", "C1", "C2", "C2", "C2"],
        }
    )
    # the first new-cluster touch after the best split (one stray old touch after it is noise)
    assert refine_day(touches, "C1", "C2") == dt.date(2020, 2, 13)


def test_switch_rows_carry_evidence(settings):
    cands = switch_candidates(switcher_edges(), members(), settings)
    day = dt.datetime(2020, 3, 5)
    touches = pl.DataFrame(
        {"account_id": ["s"] * 4,
         "at": [dt.datetime(2020, 1, 10), dt.datetime(2020, 2, 10), day, day.replace(day=9)],
         "cluster_id": ["C0001", "C0001", "C0002", "C0002"]}
    )
    posts = pl.DataFrame(
        {"account_id": ["s"] * 4,
         "posted_at": [dt.datetime(2020, 1, 3), dt.datetime(2020, 2, 12), day, day.replace(day=9)],
         "handle": ["old_name", "old_name", "new_name", "new_name"],
         "display_name": ["Old", "Old", "New", "New"]}
    )
    tags = pl.DataFrame(
        {"account_id": ["s"] * 3,
         "posted_at": [dt.datetime(2020, 1, 3), day, day.replace(day=9)],
         "value": ["prowar", "peace", "peace"]}
    )
    out = persona_switches(cands, touches, posts, tags)
    row = out.row(0, named=True)
    assert row["switch_at"] == dt.date(2020, 3, 5)
    assert row["silence_days"] == (day - dt.datetime(2020, 2, 12)).total_seconds() / 86400
    assert row["hashtags_before"] == ["prowar"] and row["hashtags_after"] == ["peace"]
    assert row["handles_before"] == ["old_name"] and row["handles_after"] == ["new_name"]
    assert "C0001" in row["evidence"] and "@new_name" in row["evidence"]


def test_refine_day_when_new_touches_come_first():
    t = dt.datetime(2020, 2, 1)
    touches = pl.DataFrame({"at": [t, t + dt.timedelta(days=5), t + dt.timedelta(days=9)],
                            "cluster_id": ["C2", "C1", "C1"]})
    assert refine_day(touches, "C1", "C2") == dt.date(2020, 2, 1)


def test_returning_to_the_old_cluster_is_no_switch(settings):
    rows = [(a, "s", p, 20.0) for p in (P[0], P[3]) for a in A]
    rows += [(b, "s", p, 20.0) for p in (P[1], P[2]) for b in B]
    assert switch_candidates(period_edges(rows), members(), settings).is_empty()
