"""Loading each layout into the core tables; counts add up; re-runs are no-ops."""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path

from archives import IO_TWEET_ROWS, IRA_ROWS, write_io_release, write_ira

from sockpuppet import pipeline
from sockpuppet.warehouse import connect, fetch_all


def rows(settings, query, params=None):
    con = connect(settings.warehouse_path, read_only=True, settings=settings)
    try:
        return fetch_all(con, query, params)
    finally:
        con.close()


def test_ira_csv_loads_with_kinds_targets_and_entities(tmp_path, settings):
    path = write_ira(tmp_path / "IRAhandle_tweets_1.csv")
    [result] = pipeline.ingest([path], settings=settings)
    assert result["status"] == "loaded", result["message"]
    assert (result["rows_read"], result["rows_loaded"], result["rows_quarantined"]) == (5, 5, 0)
    kinds = dict(rows(settings, "select kind, count(*) from posts group by kind"))
    assert kinds == {"post": 2, "retweet": 2, "quote": 1}
    # The same tweet retweeted with and without an "RT @x:" prefix shares one target_key.
    keys = rows(settings, "select distinct target_key from posts where kind = 'retweet'")
    assert len(keys) == 1 and keys[0][0].startswith("txt:")
    assert rows(settings, "select target_handle from posts where handle = 'BOB' and kind = 'retweet'") == [("news",)]
    multi = rows(settings, "select text from posts where text like 'a line%'")[0][0]
    assert multi == 'a line\nwith a newline and "quotes"'
    ents = rows(settings, "select entity_type, value from post_entities order by 1, 2")
    assert ("hashtag", "election2016") in ents
    assert ("url", "t.co/abc") in ents and ("domain", "t.co") in ents
    assert ("mention", "alice") in ents
    accounts = rows(settings, "select account_id, handle, category from accounts order by 1")
    assert accounts == [("100", "ALICE", "RightTroll"), ("200", "BOB", "RightTroll"),
                        ("300", "CAROL", "LeftTroll")]
    assert rows(settings, "select min(posted_at)::varchar from posts") == [("2016-10-01 09:05:00",)]


def test_ira_post_ids_are_stable_across_warehouses(tmp_path, settings):
    path = write_ira(tmp_path / "IRAhandle_tweets_1.csv")
    pipeline.ingest([path], settings=settings)
    first = rows(settings, "select post_id from posts order by 1")
    other = settings.model_copy(update={"warehouse": tmp_path / "other.duckdb"})
    pipeline.ingest([path], settings=other)
    assert rows(other, "select post_id from posts order by 1") == first


def test_rerun_is_a_no_op_and_a_changed_file_replaces_its_rows(tmp_path, settings):
    path = write_ira(tmp_path / "IRAhandle_tweets_1.csv")
    pipeline.ingest([path], settings=settings)
    [again] = pipeline.ingest([path], settings=settings)
    assert again["status"] == "skipped" and "already loaded" in again["message"]
    assert rows(settings, "select count(*) from posts") == [(5,)]

    write_ira(path, IRA_ROWS[:3])
    [changed] = pipeline.ingest([path], settings=settings)
    assert changed["status"] == "loaded" and "replaced load" in changed["message"]
    assert rows(settings, "select count(*) from posts") == [(3,)]
    assert rows(settings, "select count(*) from accounts") == [(2,)]
    assert rows(settings, "select status, count(*) from loads group by 1 order by 1") == [
        ("loaded", 1), ("replaced", 1)]


def test_io_archive_release_folder_with_users_and_split_tweets(tmp_path, settings):
    folder = write_io_release(tmp_path / "release", parts=2)
    results = pipeline.ingest([folder], "io-archive", settings=settings)
    assert sorted(r["layout"] for r in results) == ["io-tweets", "io-tweets", "io-users"]
    assert all(r["status"] == "loaded" for r in results)
    posts = rows(settings, "select post_id, kind, target_key, target_account_id from posts order by 1")
    assert posts == [("1", "post", None, None), ("2", "retweet", "tw:1", "u1"),
                     ("3", "reply", "tw:1", "u1"), ("4", "quote", "tw:1", None)]
    ents = rows(settings, "select post_id, entity_type, value from post_entities order by 1, 2, 3")
    assert ("1", "hashtag", "one") in ents and ("1", "hashtag", "two") in ents
    # Tracking parameters and 'www.' go, so both links to the shop are one URL.
    assert ("1", "url", "shop.example/p") in ents and ("4", "url", "shop.example/p") in ents
    assert ("2", "mention", "u1") in ents
    bio = rows(settings, "select description from accounts where account_id = 'u1' and handle is not null "
               "and load_id = (select load_id from loads where layout = 'io-users')")
    assert bio == [("multi\nline bio",)]
    assert rows(settings, "select distinct release from loads") == [("test_012020",)]


def test_io_archive_inside_a_zip_and_gzipped(tmp_path, settings):
    folder = write_io_release(tmp_path / "release")
    zpath = tmp_path / "release.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f"release/{f.name}")
    results = pipeline.ingest([zpath], settings=settings)
    assert [r["status"] for r in results] == ["loaded", "loaded"]
    assert all("!release/" in r["source"] for r in results)
    assert rows(settings, "select count(*) from posts") == [(len(IO_TWEET_ROWS),)]

    gz_settings = settings.model_copy(update={"warehouse": tmp_path / "gz.duckdb"})
    tweets = next(folder.glob("*_tweets_*"))
    gz = tmp_path / (tweets.name + ".gz")
    with tweets.open("rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    [result] = pipeline.ingest([gz], settings=gz_settings)
    assert result["status"] == "loaded" and result["rows_loaded"] == len(IO_TWEET_ROWS)


def test_share_events_both_headers(tmp_path, settings):
    single = tmp_path / "shares.csv"
    single.write_text(
        "object_id,account_id,content_id,timestamp_share\n"
        "obj1,a1,c1,1623881091.0\nobj1,a2,c2,1623881151\nobj2,a1,c3,1623890000\n")
    multi = tmp_path / "multi.csv"
    multi.write_text(
        "account_id,post_id,url_id,hashtag_id,domain_id,phash_id,timestamp\n"
        "fb_1,p1,u9,,d3,,1629589836.0\nfb_1,p1,,h4,,,1629589836.0\nfb_2,p2,,,,ph7,1629589000\n")
    results = pipeline.ingest([single, multi], "share-events", settings=settings)
    assert [r["status"] for r in results] == ["loaded", "loaded"]
    assert rows(settings, "select post_id, kind, target_key from posts where post_id like 'c%' order by 1") == [
        ("c1", "retweet", "obj:obj1"), ("c2", "retweet", "obj:obj1"), ("c3", "retweet", "obj:obj2")]
    assert rows(settings, "select posted_at::varchar from posts where post_id = 'c1'") == [("2021-06-16 22:04:51",)]
    # Two records of post p1 make one post with both of its objects.
    assert rows(settings, "select count(*) from posts where post_id = 'p1'") == [(1,)]
    assert rows(settings, "select entity_type, value from post_entities where post_id = 'p1' order by 1") == [
        ("domain", "d3"), ("hashtag", "h4"), ("url", "u9")]


def test_cli_prints_counts(tmp_path, settings, capsys):
    from sockpuppet.cli import main

    path = write_ira(tmp_path / "IRAhandle_tweets_1.csv")
    assert main(["ingest", "--warehouse", str(settings.warehouse_path), str(path)]) == 0
    out = capsys.readouterr().out
    assert "read 5" in out and "loaded 5" in out and "quarantined 0" in out
    assert main(["ingest", "--warehouse", str(settings.warehouse_path), str(path)]) == 0
    assert "already loaded" in capsys.readouterr().out


def test_every_command_has_help(capsys):
    import pytest

    from sockpuppet.cli import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    for name in commands:
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args([name, "--help"])
        assert exit_.value.code == 0
        assert "usage: sockpuppet " + name in capsys.readouterr().out


def test_missing_path_is_a_clear_error(tmp_path, settings, capsys):
    from sockpuppet.cli import main

    code = main(["ingest", "--warehouse", str(settings.warehouse_path), str(tmp_path / "nope")])
    assert code == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_real_ira_sample_head(tmp_path, settings, shared_data):
    source = shared_data("ira", "IRAhandle_tweets_1.csv.gz")
    head = tmp_path / "IRAhandle_tweets_1.csv"
    with gzip.open(source, "rt", encoding="utf-8", newline="") as src:
        head.write_text("".join(line for _, line in zip(range(4000), src, strict=False)), encoding="utf-8")
    [result] = pipeline.ingest([head], settings=settings)
    assert result["status"] == "loaded"
    assert result["rows_loaded"] + result["rows_quarantined"] == result["rows_read"]
    assert result["rows_loaded"] > 3900
    reasons = rows(settings, "select distinct split_part(reason, ':', 1) from quarantine")
    assert all(r[0] == "duplicate row" for r in reasons)


def test_generated_zipped_release_in_parts(tmp_path, settings):
    from sockpuppet.generate import generate_archive

    summary = generate_archive(tmp_path / "gen", seed=5, accounts=150, days=6, parts=2, zip=True)
    results = pipeline.ingest([summary.archive_dir], settings=settings)
    assert [r["status"] for r in results] == ["loaded"] * 3
    assert rows(settings, "select distinct release from loads") == [("synth_012020",)]
    read = sum(r["rows_read"] for r in results if r["layout"] == "io-tweets")
    assert read == summary.rows
    loaded, quarantined = rows(settings, "select sum(rows_loaded), sum(rows_quarantined) from loads "
                                         "where layout = 'io-tweets'")[0]
    assert loaded + quarantined == summary.rows
    # The generator's deliberate duplicates are quarantined, nothing else.
    assert quarantined == summary.duplicates


def test_real_io_users_and_coortweet_files(settings, shared_data):
    users = shared_data("io_users_2020")
    coortweet = shared_data("coortweet")
    results = pipeline.ingest([users, coortweet], settings=settings)
    by_name = {Path(r["source"]).name: r for r in results}
    assert all(r["status"] == "loaded" for r in results), results
    assert by_name["thailand_092020_users_csv_hashed.csv"]["rows_loaded"] == 926
    assert by_name["russian_coord_tweets.csv"]["rows_read"] == 35125
    assert by_name["german_elections.csv"]["rows_read"] == 218971
    # Thailand's creation-day burst survives loading (over 100 accounts created on one day).
    [(biggest,)] = rows(settings, "select max(n) from (select count(*) n from accounts a join loads l "
                                  "using (load_id) where l.release = 'thailand_092020' group by created_on)")
    assert biggest > 100
    # Multi-line, non-Latin descriptions arrive intact.
    assert rows(settings, "select count(*) from accounts where description like '%' || chr(10) || '%'")[0][0] > 0
