"""The generator writes real-looking archives in both layouts, with ground truth beside them."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest

from sockpuppet.generate import generate_archive
from sockpuppet.generate.writers import IO_TWEETS_HEADER, IO_USERS_HEADER, IRA_HEADER

SMALL = {"accounts": 400, "days": 40, "team_sizes": (5, 12, 30), "switches": 2}


@pytest.fixture(scope="module")
def io_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("io")
    generate_archive(out, seed=11, **SMALL)
    return out


@pytest.fixture(scope="module")
def ira_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ira")
    generate_archive(out, seed=11, layout="ira-csv", parts=2, **SMALL)
    return out


def tweets(con: duckdb.DuckDBPyConnection, path: Path) -> pl.DataFrame:
    return con.sql(
        "select * from read_csv(?, header = true, all_varchar = true, strict_mode = true)",
        params=[str(path)],
    ).pl()


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("layout", ["io-archive", "ira-csv"])
def test_same_seed_gives_identical_bytes(tmp_path: Path, layout: str) -> None:
    args = {"accounts": 200, "days": 15, "layout": layout, "zip": layout == "io-archive"}
    generate_archive(tmp_path / "a", seed=5, **args)
    generate_archive(tmp_path / "b", seed=5, **args)
    generate_archive(tmp_path / "c", seed=6, **args)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_same_bytes_in_another_process_with_another_hash_seed(tmp_path: Path) -> None:
    # Set iteration order depends on PYTHONHASHSEED; the output must not.
    args = {"accounts": 150, "days": 8}
    generate_archive(tmp_path / "here", seed=9, **args)
    code = ("import sys; from sockpuppet.generate import generate_archive; "
            "generate_archive(sys.argv[1], seed=9, accounts=150, days=8)")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")], check=True, env=env)
    assert digest(tmp_path / "here") == digest(tmp_path / "there")


def test_io_files_headers_and_truth_beside_archive(io_archive: Path) -> None:
    files = sorted(p.name for p in (io_archive / "archive").iterdir())
    assert files == ["synth_012020_tweets_csv_hashed.csv", "synth_012020_users_csv_hashed.csv"]
    assert sorted(p.name for p in io_archive.iterdir()) == ["archive", "switches.csv",
                                                            "truth.csv"]
    tweets_file = io_archive / "archive" / files[0]
    users_file = io_archive / "archive" / files[1]
    assert tweets_file.read_text().split("\n", 1)[0] == ",".join(IO_TWEETS_HEADER)
    raw = users_file.read_text()
    assert raw.split("\n", 1)[0] == ",".join(f'"{c}"' for c in IO_USERS_HEADER)
    # Every field quoted: writing the parsed records back with QUOTE_ALL gives the same text.
    records = list(csv.reader(io.StringIO(raw, newline="")))
    assert {len(r) for r in records} == {10}
    again = io.StringIO()
    csv.writer(again, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(records)
    assert again.getvalue() == raw
    assert any("\n" in r[4] for r in records)  # descriptions hold newlines


def test_io_tweets_parse_with_duckdb_into_31_columns(io_archive: Path) -> None:
    con = duckdb.connect()
    frame = tweets(con, io_archive / "archive" / "synth_012020_tweets_csv_hashed.csv")
    assert frame.columns == list(IO_TWEETS_HEADER)
    assert 10_000 < frame.height < 40_000
    assert frame["tweet_time"].str.contains(r"^\d{4}-\d\d-\d\d \d\d:\d\d$").all()
    assert set(frame["is_retweet"].unique()) == {"True", "False"}
    retweets = frame.filter(pl.col("is_retweet") == "True")
    assert retweets["tweet_text"].str.starts_with("RT @").all()
    assert retweets["retweet_tweetid"].is_not_null().all()
    replies = frame.filter(pl.col("in_reply_to_tweetid").is_not_null())
    assert replies.height > 0 and replies["in_reply_to_userid"].is_not_null().all()
    assert frame["quoted_tweet_tweetid"].is_not_null().any()
    # Ids are snowflakes: a retweet's id is larger than the retweeted tweet's.
    assert (retweets["tweetid"].cast(pl.Int64) > retweets["retweet_tweetid"].cast(pl.Int64)).all()
    hashed = frame["userid"].str.len_chars() == 44
    assert hashed.mean() > 0.8 and (~hashed).any()  # popular accounts keep numeric ids
    assert frame["hashtags"].drop_nulls().str.contains(r"^\[.*\]$").all()
    assert frame["urls"].drop_nulls().str.contains(r"^\[('[^']+'(, )?)*\]$").all()
    assert (frame["latitude"] == "absent").mean() > 0.99
    assert {"Twitter for Android", "Twitter Web Client", "NewsWave Publisher"} <= set(
        frame["tweet_client_name"].drop_nulls().unique())


def test_imperfections_are_present(io_archive: Path) -> None:
    con = duckdb.connect()
    path = io_archive / "archive" / "synth_012020_tweets_csv_hashed.csv"
    frame = tweets(con, path)
    assert frame["tweet_text"].str.contains("\n").sum() > 50  # multi-line text
    assert '""' in path.read_text()  # doubled quotes inside quoted fields
    assert frame.height - frame.unique().height > 5  # exact duplicate rows
    assert frame["tweet_language"].is_null().sum() > 10  # blank fields
    assert frame["tweet_client_name"].is_null().sum() > 10


def test_planted_teams_have_requested_sizes_and_switches_are_recorded(io_archive: Path) -> None:
    truth = pl.read_csv(io_archive / "truth.csv", infer_schema=False)
    switches = pl.read_csv(io_archive / "switches.csv", infer_schema=False)
    assert truth.columns == ["account_id", "team", "operation", "style"]
    assert truth.height == SMALL["accounts"] and truth["account_id"].n_unique() == 400
    assert switches.columns == ["account_id", "from_team", "to_team", "date"]
    assert switches.height == 2
    assert (switches["from_team"] != switches["to_team"]).all()
    # truth lists a switched account under its final team.
    final = switches.join(truth, on="account_id")
    assert (final["team"] == final["to_team"]).all()
    sizes = dict(truth.filter(pl.col("team").is_not_null()).group_by("team").len().iter_rows())
    for team in sizes:
        sizes[team] += (switches["from_team"] == team).sum() - (switches["to_team"] == team).sum()
    assert sorted(sizes.values()) == [5, 12, 30]
    assert set(truth["style"]) >= {"organic", "retweet_ring", "hashtag_push", "link_farm"}
    # The paired operator runs two teams; its news feed is operated but in no team.
    ops = truth.filter(pl.col("operation") == "OP01")
    assert set(ops["team"].drop_nulls()) == {"T01", "T02"}
    assert ops.filter(pl.col("team").is_null())["style"].to_list() == ["newsfeed"]


def test_retweet_ring_retweets_its_lead_within_minutes(io_archive: Path) -> None:
    con = duckdb.connect()
    frame = tweets(con, io_archive / "archive" / "synth_012020_tweets_csv_hashed.csv")
    truth = pl.read_csv(io_archive / "truth.csv", infer_schema=False)
    ring = set(truth.filter(pl.col("style") == "retweet_ring")["account_id"])
    times = frame.select("tweetid", pl.col("tweet_time").str.to_datetime("%Y-%m-%d %H:%M"))
    rts = (frame.filter(pl.col("is_retweet") == "True", pl.col("userid").is_in(ring),
                        pl.col("retweet_userid").is_in(ring))
           .select("tweetid", "retweet_tweetid",
                   pl.col("tweet_time").str.to_datetime("%Y-%m-%d %H:%M"))
           .join(times, left_on="retweet_tweetid", right_on="tweetid", suffix="_orig"))
    assert rts.height > 50  # many events over the period, not one
    lag = (rts["tweet_time"] - rts["tweet_time_orig"]).dt.total_minutes()
    assert lag.median() <= 10


def test_switched_account_renamed_and_still_retweeted_by_old_team(ira_archive: Path) -> None:
    con = duckdb.connect()
    files = sorted((ira_archive / "archive").glob("IRAhandle_tweets_*.csv"))
    assert [p.name for p in files] == ["IRAhandle_tweets_1.csv", "IRAhandle_tweets_2.csv"]
    assert files[0].read_text().split("\n", 1)[0] == ",".join(IRA_HEADER)
    frame = pl.concat([tweets(con, p) for p in files])
    assert frame["publish_date"].str.contains(r"^[1-9]\d?/[1-9]\d?/\d{4} [12]?\d:\d\d$").all()
    assert set(frame["retweet"]) == {"0", "1"}
    assert set(frame["post_type"].drop_nulls()) == {"R", "Q"}
    rts = frame.filter(pl.col("retweet") == "1")
    prefixed = rts["content"].str.starts_with("RT @").mean()
    assert 0.02 < prefixed < 0.3  # most IRA retweets lack the prefix
    switches = pl.read_csv(ira_archive / "switches.csv", infer_schema=False)
    for acc, _, _, day in switches.iter_rows():
        rows = frame.filter(pl.col("external_author_id") == acc).with_columns(
            pl.col("publish_date").str.to_datetime("%m/%d/%Y %H:%M").dt.date().alias("d"))
        switch_day = pl.Series([day]).str.to_date()[0]
        before = set(rows.filter(pl.col("d") < switch_day)["author"])
        after = set(rows.filter(pl.col("d") >= switch_day)["author"])
        assert len(before) == 1 and len(after) == 1 and before != after


def test_io_old_team_keeps_retweeting_switched_account(io_archive: Path) -> None:
    con = duckdb.connect()
    frame = tweets(con, io_archive / "archive" / "synth_012020_tweets_csv_hashed.csv")
    truth = pl.read_csv(io_archive / "truth.csv", infer_schema=False)
    switches = pl.read_csv(io_archive / "switches.csv", infer_schema=False)
    echoes = 0
    for acc, old_team, _, day in switches.iter_rows():
        old = set(truth.filter(pl.col("team") == old_team)["account_id"])
        echoes += frame.filter(pl.col("retweet_userid") == acc, pl.col("userid").is_in(old),
                               pl.col("tweet_time") >= day).height
    assert echoes > 0


def test_parts_and_zip(tmp_path: Path) -> None:
    summary = generate_archive(tmp_path, seed=3, accounts=200, days=12, parts=3, zip=True)
    names = sorted(p.name for p in (tmp_path / "archive").iterdir())
    assert names == [f"synth_012020_{i}_tweets_csv_hashed.zip" for i in (1, 2, 3)] + [
        "synth_012020_users_csv_hashed.zip"]
    con = duckdb.connect()
    total = 0
    for i in (1, 2, 3):
        with zipfile.ZipFile(tmp_path / "archive" / f"synth_012020_{i}_tweets_csv_hashed.zip") as z:
            (member,) = z.namelist()
            assert member == f"synth_012020_{i}_tweets_csv_hashed.csv"
            z.extract(member, tmp_path)
        total += tweets(con, tmp_path / member).height
    assert total == summary.rows


def test_rows_grow_with_accounts_times_days(tmp_path: Path) -> None:
    small = generate_archive(tmp_path / "s", seed=1, accounts=200, days=10)
    large = generate_archive(tmp_path / "l", seed=1, accounts=400, days=20)
    assert 2.5 < large.rows / small.rows < 6


def test_unknown_parameter_is_named(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="camoflage"):
        generate_archive(tmp_path, seed=1, accounts=200, days=5, camoflage=0.3)


def test_truth_ids_match_archive_ids(io_archive: Path, ira_archive: Path) -> None:
    with open(io_archive / "archive" / "synth_012020_users_csv_hashed.csv", newline="") as f:
        users = {row["userid"] for row in csv.DictReader(f)}
    truth = pl.read_csv(io_archive / "truth.csv", infer_schema=False)
    assert set(truth["account_id"]) == users
    ira_truth = pl.read_csv(ira_archive / "truth.csv", infer_schema=False)
    assert ira_truth["account_id"].str.contains(r"^\d+$").all()
    assert re.fullmatch(r"\d+", ira_truth["account_id"][0])


def test_teams_differ_in_pace_and_some_run_campaign_windows() -> None:
    from sockpuppet.generate.params import make_params
    from sockpuppet.generate.world import build_world

    world = build_world(make_params(team_sizes=(5, 6, 7, 8, 9, 10), campaign_window_share=1.0),
                        seed=2, accounts=300, days=100)
    assert len({round(t.rate, 6) for t in world.teams}) == 6
    assert all(0.3 <= t.participation <= 0.95 for t in world.teams)
    # Windows always cover the middle of the period, where switches are planted.
    assert all(t.first_day <= 30 and t.last_day >= 70 for t in world.teams)
    assert any(t.first_day > 0 or t.last_day < 99 for t in world.teams)


def test_fan_clubs_are_organic_yet_retweet_their_idol_together(tmp_path: Path) -> None:
    from sockpuppet.generate.params import make_params
    from sockpuppet.generate.world import build_world

    args = {"fan_clubs": 2, "fan_club_size": (12, 12)}
    generate_archive(tmp_path, seed=8, accounts=300, days=20, **args)
    world = build_world(make_params(**args), seed=8, accounts=300, days=20)
    assert len(world.clubs) == 2
    con = duckdb.connect()
    frame = tweets(con, tmp_path / "archive" / "synth_012020_tweets_csv_hashed.csv")
    truth = pl.read_csv(tmp_path / "truth.csv", infer_schema=False)
    organic = set(truth.filter(pl.col("style") == "organic")["account_id"])
    for idol, fans in world.clubs.items():
        fan_ids = {world.ids[f] for f in fans}
        assert fan_ids <= organic and world.ids[idol] in organic
        per_fan = (frame.filter(pl.col("retweet_userid") == world.ids[idol],
                                pl.col("userid").is_in(fan_ids))
                   .group_by("userid").len())
        assert per_fan.height == 12 and per_fan["len"].median() >= 3  # again and again
