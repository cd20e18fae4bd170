"""Figures on shapes the fixture does not reach: big clusters, long spans, no ties, no data."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from sockpuppet.publish import figures


def _members(n: int) -> pl.DataFrame:
    return pl.DataFrame({"account_id": [f"a{i}" for i in range(n)],
                         "handle": [f"<b>h{i}</b>" for i in range(n)],
                         "category": ["X"] * n, "strength": [1.0] * n, "posts": [5] * n})


def _days(n: int, span: int) -> pl.DataFrame:
    return pl.DataFrame({
        "account_id": [f"a{i % n}" for i in range(0, span, 3)],
        "day": [date(2015, 1, 1) + timedelta(days=d) for d in range(0, span, 3)],
        "posts": [2] * len(range(0, span, 3)),
    })


def test_big_cluster_over_years_is_a_monthly_heat_map():
    members = _members(20)
    fig, unit = figures.activity_figure(_days(20, 1500), members,
                                        figures.member_colours(members["account_id"].to_list()))
    assert unit == "month"
    assert fig.data[0].type == "heatmap"
    assert fig.layout.yaxis.ticktext[0] == "&lt;b&gt;h0&lt;/b&gt;"


def test_small_cluster_over_a_year_is_weekly_stacked_bars():
    members = _members(3)
    fig, unit = figures.activity_figure(_days(3, 300), members,
                                        figures.member_colours(members["account_id"].to_list()))
    assert unit == "week" and {t.type for t in fig.data} == {"bar"}
    assert fig.data[0].name == "&lt;b&gt;h0&lt;/b&gt;"


def test_network_without_ties_and_activity_without_days():
    members = _members(2)
    empty = pl.DataFrame(schema={"account_a": pl.String, "account_b": pl.String,
                                 "behavior": pl.String, "weight": pl.Float64,
                                 "shared_events": pl.Int64})
    fig = figures.network_figure(members, empty, figures.member_colours(["a0", "a1"]))
    assert fig.data[-1].hovertext[0].startswith("<b>&lt;b&gt;h0")
    fig, _ = figures.activity_figure(_days(2, 0), members, {})
    assert len(fig.data) == 0


def test_switch_figure_measures_the_silence():
    days = pl.DataFrame({"day": [date(2016, 10, 1), date(2016, 10, 9), date(2016, 10, 17)],
                         "posts": [1, 2, 3]})
    _, silence = figures.switch_figure(days, date(2016, 10, 17), "C1", None)
    assert silence == {"last_active_before": date(2016, 10, 9),
                       "first_active_after": date(2016, 10, 17), "silent_days": 7}


def test_echo_behaviours_read_as_plain_words():
    from sockpuppet.publish.figures import behavior_words

    assert behavior_words("co_url") == "shared the same links"
    assert behavior_words("co_hashtag:echo") == "used the same hashtags by retweeting the same accounts"
    assert ":" not in behavior_words("co_new_thing:echo")
