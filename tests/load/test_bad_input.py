"""Bad rows are quarantined with file, line and reason; bad files fail with an actionable message."""

from __future__ import annotations

import gzip
import zipfile

import pytest
from archives import IRA_ROWS, csv_text, write_io_release, write_ira

from sockpuppet import pipeline
from sockpuppet.load.layouts import IRA_15
from sockpuppet.warehouse import connect, fetch_all


def rows(settings, query, params=None):
    con = connect(settings.warehouse_path, read_only=True, settings=settings)
    try:
        return fetch_all(con, query, params)
    finally:
        con.close()


def ira_line(**changes):
    row = dict(zip(IRA_15, IRA_ROWS[0], strict=True))
    row.update(changes)
    return [row[c] for c in IRA_15]


def test_bad_rows_are_quarantined_with_line_and_reason(tmp_path, settings):
    text = csv_text(IRA_15, [
        IRA_ROWS[3],                                   # record 1: a two-line record (lines 2-3)
        ira_line(publish_date="yesterday"),            # record 2: line 4, unparseable time
        ira_line(content="ok", publish_date="2/2/2016 1:01"),  # record 3: line 5
    ])
    text += "101,SHORT,only three\n"                   # record 4: line 6, missing columns
    text += csv_text(IRA_15, [ira_line(external_author_id="", content="no author")]).split("\n", 1)[1]
    path = tmp_path / "IRAhandle_tweets_9.csv"
    path.write_text(text, encoding="utf-8")

    [result] = pipeline.ingest([path], settings=settings)
    assert result["status"] == "loaded"
    assert (result["rows_read"], result["rows_loaded"], result["rows_quarantined"]) == (5, 2, 3)
    quarantined = rows(settings, "select source_key, line, record, reason, raw from quarantine order by record")
    assert [q[0] for q in quarantined] == [str(path)] * 3
    assert [(q[1], q[2]) for q in quarantined] == [(4, 2), (6, 4), (7, 5)]
    assert "unparseable publish_date 'yesterday'" in quarantined[0][3]
    assert "M/D/YYYY H:MM" in quarantined[0][3]
    assert "Expected Number of Columns" in quarantined[1][3]
    assert quarantined[1][4].startswith("101,SHORT,only three")
    assert quarantined[2][3] == "missing external_author_id"
    assert "no author" in quarantined[2][4]
    assert rows(settings, "select rows_read, rows_loaded, rows_quarantined from loads") == [(5, 2, 3)]


def test_unbalanced_quote_is_quarantined_not_dropped(tmp_path, settings):
    good = csv_text(IRA_15, [IRA_ROWS[0]])
    broken = '100,ALICE,"this quote never closes,US,English,10/1/2016 9:05,x,1,1,1,,Right,0,RightTroll,0\n'
    path = tmp_path / "IRAhandle_tweets_8.csv"
    path.write_text(good + broken + "100,ALICE,after,US,English,10/1/2016 9:09,x,1,1,1,,Right,0,RightTroll,0\n")
    [result] = pipeline.ingest([path], settings=settings)
    assert result["rows_loaded"] == 1
    assert result["rows_loaded"] + result["rows_quarantined"] == result["rows_read"]
    [(line, reason, raw)] = rows(settings, "select line, reason, raw from quarantine")
    assert line == 3 and "unterminated quote" in reason
    # The swallowed record after the broken quote is kept in the raw text, not lost.
    assert "after" in raw


def test_duplicate_tweet_ids_are_quarantined(tmp_path, settings):
    folder = write_io_release(tmp_path / "rel")
    tweets = next(folder.glob("*_tweets_*"))
    lines = tweets.read_text().splitlines(keepends=True)
    tweets.write_text("".join(lines + [lines[1]]))
    results = pipeline.ingest([tweets], settings=settings)
    assert results[0]["rows_quarantined"] == 1
    assert rows(settings, "select reason from quarantine") == [("duplicate tweetid (first at record 1)",)]


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("utf16.csv", ",".join(IRA_15).encode("utf-16"), "UTF-16"),
        ("latin1.csv", (",".join(IRA_15) + "\n1,caf\xe9,x\n").encode("latin-1")[:10] + b"\xe9" +
         (",".join(IRA_15) + "\n").encode()[10:], "not UTF-8"),
        ("other.csv", b"id,name,when\n1,x,2020\n", "expected one of"),
    ],
)
def test_bad_files_fail_with_an_actionable_message(tmp_path, settings, name, content, needle):
    bad = tmp_path / "in" / name
    bad.parent.mkdir()
    bad.write_bytes(content)
    good = write_ira(tmp_path / "in" / "IRAhandle_tweets_1.csv")
    results = {r["source"]: r for r in pipeline.ingest([bad.parent], settings=settings)}
    assert results[str(bad)]["status"] == "failed"
    assert needle in results[str(bad)]["message"]
    # The other file still loads, and the failure is on record.
    assert results[str(good)]["status"] == "loaded"
    assert rows(settings, "select status from loads where source_key = ?", [str(bad)]) == [("failed",)]


def test_unknown_header_lists_the_expected_headers(tmp_path, settings):
    bad = tmp_path / "x.csv"
    bad.write_text("id,name\n1,a\n")
    [result] = pipeline.ingest([bad], settings=settings)
    assert "external_author_id,author,content" in result["message"]
    assert "tweetid,userid" in result["message"]
    assert "object_id,account_id,content_id,timestamp_share" in result["message"]


def test_truncated_zip_fails_with_advice(tmp_path, settings, capsys):
    from sockpuppet.cli import main

    folder = write_io_release(tmp_path / "rel")
    zpath = tmp_path / "rel.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in folder.iterdir():
            zf.write(f, f.name)
    data = zpath.read_bytes()
    zpath.write_bytes(data[: len(data) // 2])
    assert main(["ingest", "--warehouse", str(settings.warehouse_path), str(zpath)]) == 2
    err = capsys.readouterr().err
    assert "not a readable zip" in err and "truncated" in err


def test_truncated_gzip_fails_without_partial_rows(tmp_path, settings):
    path = tmp_path / "IRAhandle_tweets_1.csv.gz"
    body = csv_text(IRA_15, [IRA_ROWS[0]] * 1 + [ira_line(content=f"t{i}", publish_date="1/1/2017 1:01")
                                                 for i in range(3000)]).encode()
    data = gzip.compress(body)
    path.write_bytes(data[: len(data) * 2 // 3])
    [result] = pipeline.ingest([path], settings=settings)
    assert result["status"] == "failed"
    assert rows(settings, "select count(*) from posts") == [(0,)]


def test_zip_member_escaping_the_folder_is_refused(tmp_path, settings):
    folder = write_io_release(tmp_path / "rel")
    zpath = tmp_path / "evil.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for f in folder.iterdir():
            zf.write(f, f.name)
        zf.writestr("../../outside_tweets_csv_hashed.csv", "x")
    results = pipeline.ingest([zpath], settings=settings)
    evil = [r for r in results if "outside" in r["source"]]
    assert evil and evil[0]["status"] == "failed"
    assert "escapes the archive folder" in evil[0]["message"]
    assert not (tmp_path.parent / "outside_tweets_csv_hashed.csv").exists()
    assert sum(r["status"] == "loaded" for r in results) == 2
