import datetime as dt

import numpy as np
import polars as pl
import pytest
from conftest import P1, organic_incidence, pairs_from_incidence, team_incidence

from sockpuppet.detect.account_graph import (
    account_graph,
    content_edges,
    pair_period_expectations,
    poisson_surprise,
    stratum_of,
    support_edges,
)


def edges_of(rows, settings):
    _, activity, shared = pairs_from_incidence(rows)
    exp = pair_period_expectations(shared, activity, settings.detect_min_shared)
    return content_edges(exp, settings)


def test_poisson_surprise_matches_exact_and_stays_finite_in_deep_tails():
    from scipy.special import pdtrc

    k = np.array([0, 1, 3, 10])
    lam = np.array([1.0, 1.0, 0.5, 2.0])
    expected = [0.0] + [-np.log10(pdtrc(x - 1, m)) for x, m in zip(k[1:], lam[1:], strict=True)]
    assert poisson_surprise(k, lam) == pytest.approx(expected, rel=1e-9)
    deep = poisson_surprise(np.array([500.0, 5000.0]), np.array([1.0, 1.0]))
    assert np.all(np.isfinite(deep)) and deep[1] > deep[0] > 300


def test_strata_split_targets_by_popularity():
    frame = pl.DataFrame({"k": [None, 2, 3, 4, 15, 16, 300]}, schema={"k": pl.Int64})
    got = frame.select(stratum_of(pl.col("k"), [4, 16, 64, 256]))["k"].to_list()
    assert got == [0, 0, 0, 1, 1, 2, 4]


def test_one_viral_target_scores_low_many_rare_targets_score_high(settings):
    rows = organic_incidence(150, 15, 1500, seed=1)
    # two organic accounts that both retweeted the day's viral tweet (and one more each)
    rows += [(f"o{i:03d}", "co_retweet", P1, "tw:viral") for i in range(0, 150, 2)]
    # two accounts sharing 12 targets nobody else touched
    rows += [(a, "co_retweet", P1, f"tw:rare{t}") for t in range(12) for a in ("x1", "x2")]
    _, activity, shared = pairs_from_incidence(rows)
    exp = pair_period_expectations(shared, activity, 1)
    edges = content_edges(exp, settings.model_copy(update={"detect_min_surprise": 0.0,
                                                             "detect_min_top_surprise": 0.0}))
    viral = edges.filter((pl.col("account_a") == "o000") & (pl.col("account_b") == "o002"))
    rare = edges.filter((pl.col("account_a") == "x1") & (pl.col("account_b") == "x2"))
    assert rare["content_surprise"][0] > 2 * settings.detect_min_surprise
    assert viral.is_empty() or viral["content_surprise"][0] < settings.detect_min_surprise / 4


def test_star_of_organic_accounts_around_a_viral_target_gives_no_edge(settings):
    rows = organic_incidence(120, 10, 3000, seed=2)
    for viral in range(5):  # five viral tweets, each retweeted by a random half of everyone
        rows += [(f"o{i:03d}", "co_retweet", P1, f"tw:viral{viral}")
                 for i in range(120) if (i * 7 + viral * 13) % 2 == 0]
    assert edges_of(rows, settings).is_empty()


def test_team_is_linked_and_organic_accounts_are_not(settings):
    team = [f"t{i}" for i in range(8)]
    rows = organic_incidence(200, 20, 2000, seed=3)
    rows += team_incidence(team, 25, seed=4)
    edges = edges_of(rows, settings)
    ends = set(edges["account_a"]) | set(edges["account_b"])
    assert ends == set(team)
    assert edges.height >= 0.8 * 8 * 7 / 2


def test_expectation_counts_every_period_both_were_active(settings):
    """Meeting in one month of twelve is weaker evidence than in the only month."""
    rows = []
    months = [dt.date(2020, m, 1) for m in range(1, 13)]
    for m in months:
        rows += organic_incidence(60, 8, 400, seed=m.month, period=m)
    rows += [(a, "co_retweet", months[0], f"tw:rare{t}")
             for t in range(3) for a in ("o001", "o002")]
    _, activity, shared = pairs_from_incidence(rows)
    exp = pair_period_expectations(shared, activity, 1)
    pair = exp.filter((pl.col("account_a") == "o001") & (pl.col("account_b") == "o002"))
    assert pair["period"].n_unique() == 12


def test_support_edges_only_between_graph_nodes_and_rare_clients(settings):
    traces = pl.DataFrame(
        {
            "account_id": ["a", "b", "c", "d", "e"],
            "client": ["Custom App", "Custom App", "Custom App", "Twitter for iPhone", None],
            "created_on": [dt.date(2019, 5, 1)] * 3 + [dt.date(2019, 5, 1), None],
        }
    )
    s = settings.model_copy(update={"detect_client_max_accounts": 3, "detect_batch_min": 3})
    support = support_edges(traces, pl.Series(["a", "b", "d"]), s)
    got = {(a, b): sup
           for a, b, sup in support.select("account_a", "account_b", "supports").iter_rows()}
    assert got == {("a", "b"): ["client", "creation_batch"], ("a", "d"): ["creation_batch"],
                   ("b", "d"): ["creation_batch"]}
    content = pl.DataFrame({"account_a": ["a"], "account_b": ["b"], "content_surprise": [20.0],
                            "top_surprise": [20.0], "shared_targets": [5],
                            "behaviors": [["co_retweet"]]})
    graph = account_graph(content, support)
    ab = graph.filter((pl.col("account_a") == "a") & (pl.col("account_b") == "b"))
    assert ab["weight"][0] == pytest.approx(20.0 + 2 * s.detect_support_surprise)
