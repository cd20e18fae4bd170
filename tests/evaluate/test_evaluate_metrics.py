"""Evaluator metrics on hand-made cluster tables with scores worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from sockpuppet.evaluate import (
    adjusted_rand_index,
    evaluate_warehouse,
    format_report,
    membership_scores,
    score_against_categories,
    score_against_truth,
    switch_scores,
    team_ari,
    team_recovery,
    weighted_purity,
)

# Two teams (a1-a4 in T01, b1-b2 in T02), four organic accounts and OP01's news feed.
TRUTH = pl.DataFrame({
    "account_id": ["a1", "a2", "a3", "a4", "b1", "b2", "o1", "o2", "o3", "o4", "feed"],
    "team": ["T01"] * 4 + ["T02"] * 2 + [""] * 5,
    "operation": ["OP01"] * 6 + [""] * 4 + ["OP01"],
    "style": ["retweet_ring"] * 4 + ["hashtag_push"] * 2 + ["organic"] * 4 + ["newsfeed"],
})
NO_SWITCHES = pl.DataFrame(schema={"account_id": pl.String, "date": pl.Date})
NO_DETECTED = pl.DataFrame(schema={"account_id": pl.String, "switch_at": pl.Date})


def clusters(mapping: dict[str, list[str]]) -> pl.DataFrame:
    rows = [(a, c) for c, members in mapping.items() for a in members]
    return pl.DataFrame(rows, schema=["account_id", "cluster_id"], orient="row")


def test_perfect_clustering_scores_one() -> None:
    perfect = clusters({"C1": ["a1", "a2", "a3", "a4"], "C2": ["b1", "b2"]})
    scores = score_against_truth(perfect, NO_DETECTED, TRUTH, NO_SWITCHES)
    assert scores["precision"] == 1.0 and scores["recall"] == 1.0
    assert scores["ari"] == 1.0
    assert scores["teams_recovered"] == 2 == scores["teams"]


def test_everything_in_one_cluster() -> None:
    # The feed is ignored: 10 scored accounts clustered, 6 of them planted.
    one = clusters({"C1": list(TRUTH["account_id"])})
    member = membership_scores(one, TRUTH)
    assert member["precision"] == pytest.approx(6 / 10)
    assert member["recall"] == 1.0
    # ARI over the 10 accounts: truth {4, 2, 1, 1, 1, 1} vs one block of 10.
    # index = sum_ij C(n_ij, 2) = C(4,2) + C(2,2) = 7 = sum_a; sum_b = C(10,2) = 45;
    # expected = 7 * 45 / 45 = 7 = index -> ARI 0.
    assert team_ari(one, TRUTH) == pytest.approx(0.0)
    rec = team_recovery(one, TRUTH)
    # T01 is 4/10 of C1 (< half): not recovered though fully covered; T02 is 2/10 of it.
    assert rec["recovered"].to_list() == [False, False]
    assert rec["coverage"].to_list() == [1.0, 1.0]
    assert rec["purity"].to_list() == pytest.approx([4 / 10, 2 / 10])


def test_ari_small_example_by_hand() -> None:
    # true {a a b b c c}, pred {a a b b b c}: contingency n_ij = 2, 2, 1, 1.
    # index = 1 + 1 = 2; sum_a = 3; sum_b = 1 + 3 = 4; expected = 3 * 4 / 15 = 0.8;
    # max = 3.5; ARI = (2 - 0.8) / (3.5 - 0.8) = 4 / 9.
    assert adjusted_rand_index(list("aabbcc"), list("aabbbc")) == pytest.approx(4 / 9)
    # Labels are names only: renaming clusters changes nothing.
    assert adjusted_rand_index(list("aabbcc"), list("xxyyyz")) == pytest.approx(4 / 9)
    assert adjusted_rand_index([1, 1, 2, 2], [1, 2, 1, 2]) == pytest.approx(-0.5)
    assert adjusted_rand_index(list("abc"), list("xyz")) == 1.0  # all singletons both sides


def test_team_ari_counts_clustered_organic_and_missed_members() -> None:
    # C1 = T01 minus a4, plus organic o1; T02 unclustered.
    found = clusters({"C1": ["a1", "a2", "a3", "o1"]})
    # Universe: a1-a4, b1, b2, o1 (o2-o4 are left alone by both sides and excluded).
    # true: T01 x4, T02 x2, o1 alone; pred: C1 {a1 a2 a3 o1}, a4, b1, b2 alone.
    # index = C(3,2) = 3; sum_a = 6 + 1 = 7; sum_b = 6; expected = 42 / 21 = 2;
    # max = 6.5; ARI = (3 - 2) / (6.5 - 2) = 2 / 9.
    assert team_ari(found, TRUTH) == pytest.approx(2 / 9)
    member = membership_scores(found, TRUTH)
    assert member["precision"] == pytest.approx(3 / 4)
    assert member["recall"] == pytest.approx(3 / 6)
    rec = team_recovery(found, TRUTH)
    assert rec.filter(pl.col("team") == "T01")["recovered"].item() is True  # 3/4 and 3/4
    assert rec.filter(pl.col("team") == "T02")["overlap"].item() == 0


def test_weighted_purity_by_hand() -> None:
    cats = pl.DataFrame({"account_id": list("abcdefg"),
                         "category": ["Right", "Right", "Left", "Left", "Left", "News", None]})
    found = clusters({"C1": ["a", "b", "c"], "C2": ["d", "e"], "C3": ["f", "g"]})
    # C1 majority 2 of 3, C2 2 of 2, C3: News 1 and "(none)" 1 -> 1 of 2. (2 + 2 + 1) / 7.
    assert weighted_purity(found, cats) == pytest.approx(5 / 7)
    scores = score_against_categories(found, cats, total_accounts=14)
    assert scores["share_clustered"] == pytest.approx(7 / 14)
    assert scores["clusters"] == 3 and scores["largest_cluster"] == 3


@pytest.mark.parametrize(("days_apart", "found"), [(0, 1), (14, 1), (-14, 1), (15, 0)])
def test_switch_matching_window(days_apart: int, found: int) -> None:
    planted = pl.DataFrame({"account_id": ["a1"], "date": [date(2020, 3, 1)]})
    detected = pl.DataFrame({"account_id": ["a1"],
                             "switch_at": [date(2020, 3, 1) + timedelta(days=days_apart)]})
    scores = switch_scores(detected, planted, planted_accounts=50)
    assert scores["switches_found"] == found
    assert scores["switch_recall"] == found
    assert scores["false_switches_per_100"] == pytest.approx(100 * (1 - found) / 50)


def test_switch_wrong_account_is_false_and_each_planted_matched_once() -> None:
    planted = pl.DataFrame({"account_id": ["a1", "a2"], "date": [date(2020, 3, 1)] * 2})
    detected = pl.DataFrame({"account_id": ["a1", "a1", "b9"],
                             "switch_at": [date(2020, 3, 2), date(2020, 3, 5), date(2020, 3, 1)]})
    scores = switch_scores(detected, planted, planted_accounts=20)
    assert scores["switch_recall"] == 0.5
    assert scores["false_switches"] == 2  # the second a1 switch and b9's
    assert scores["false_switches_per_100"] == pytest.approx(10.0)


def test_evaluate_warehouse_with_truth(tmp_path: Path) -> None:
    TRUTH.with_columns(pl.col("team").replace("", None), pl.col("operation").replace("", None)
                       ).write_csv(tmp_path / "truth.csv")
    pl.DataFrame({"account_id": ["b1"], "from_team": ["T01"], "to_team": ["T02"],
                  "date": ["2020-02-01"]}).write_csv(tmp_path / "switches.csv")
    con = duckdb.connect(":memory:")
    con.execute("create table operator_clusters(account_id varchar, cluster_id varchar, "
                "strength double)")
    con.execute("insert into operator_clusters values ('a1','C0001',1), ('a2','C0001',1), "
                "('a3','C0001',1), ('a4','C0001',1), ('b1','C0002',1), ('b2','C0002',1)")
    con.execute("create table persona_switches(account_id varchar, switch_at date, "
                "from_cluster varchar, to_cluster varchar)")
    con.execute("insert into persona_switches values ('b1', date '2020-02-10', 'C0001', 'C0002')")
    scores = evaluate_warehouse(con, tmp_path)
    assert scores["ari"] == 1.0 and scores["switch_recall"] == 1.0
    assert scores["false_switches"] == 0
    report = format_report(scores)
    assert "ari" in report and "team_table" in report and "T02" in report


def test_evaluate_warehouse_against_categories_and_before_detection() -> None:
    con = duckdb.connect(":memory:")
    con.execute("create table accounts(account_id varchar, load_id bigint, category varchar)")
    con.execute("insert into accounts values ('1',1,'RightTroll'), ('2',1,'RightTroll'), "
                "('3',1,'LeftTroll'), ('4',1,'LeftTroll')")
    con.execute("create table posts(account_id varchar)")
    con.execute("insert into posts values ('1'), ('2'), ('3'), ('4'), ('4')")
    before = evaluate_warehouse(con, None)  # no detection tables yet: nothing clustered
    assert before["clustered"] == 0 and before["weighted_purity"] is None
    con.execute("create table operator_clusters(account_id varchar, cluster_id varchar, "
                "strength double)")
    con.execute("insert into operator_clusters values ('1','C1',1), ('2','C1',1), ('3','C1',1)")
    scores = evaluate_warehouse(con, None)
    assert scores["weighted_purity"] == pytest.approx(2 / 3)
    assert scores["share_clustered"] == pytest.approx(3 / 4)
    assert "weighted_purity" in format_report(scores)


def test_truth_with_nulls_scores_like_truth_with_empty_strings() -> None:
    nulls = TRUTH.with_columns(pl.col("team").replace("", None),
                               pl.col("operation").replace("", None))
    found = clusters({"C1": ["a1", "a2", "a3", "o1"]})
    assert team_ari(found, nulls) == team_ari(found, TRUTH)
    assert membership_scores(found, nulls) == membership_scores(found, TRUTH)
    assert team_recovery(found, nulls).equals(team_recovery(found, TRUTH))
