"""Large files are staged in record-aligned chunks: the result must equal staging them whole."""

from __future__ import annotations

import gzip
import random
import shutil

import pytest
from archives import IO_TWEETS, csv_text, io_tweet, write_ira

from sockpuppet import pipeline
from sockpuppet.generate import generate_archive
from sockpuppet.load.chunks import Splitter, scan_file, write_chunks
from sockpuppet.settings import Settings
from sockpuppet.warehouse import connect, fetch_all

TABLES = {
    "posts": "select * exclude (load_id) from posts order by post_id",
    "post_entities": "select * exclude (load_id) from post_entities order by all",
    "accounts": "select * exclude (load_id) from accounts order by all",
    "quarantine": "select source_key, line, record, reason, raw from quarantine order by record",
    "loads": "select source_key, rows_read, rows_loaded, rows_quarantined, status from loads "
             "order by source_key",
}


def dump(settings: Settings) -> dict[str, list[tuple]]:
    con = connect(settings.warehouse_path, read_only=True, settings=settings)
    try:
        return {name: fetch_all(con, query) for name, query in TABLES.items()}
    finally:
        con.close()


def split_text(text: bytes, chunk_bytes: int, block: int) -> tuple[bytes, list]:
    splitter = Splitter(chunk_bytes)
    for i in range(0, len(text), block):
        splitter.feed(text[i:i + block])
    return splitter.finish()


def test_spans_cut_only_at_record_ends_and_count_lines():
    header = "a,b\n"
    records = ['1,"two\nlines ""quoted"""\n', "2,plain\n", '3,"x,\ny\nz"\n', "4,end\n"]
    text = (header + "".join(records * 5)).encode().rstrip(b"\n")  # no newline at the end
    for chunk_bytes in (1, 7, 30, 1000):
        for block in (1, 3, 64, 1 << 20):
            head, spans = split_text(text, chunk_bytes, block)
            assert head == header.encode()
            assert spans[0].start == len(head) and spans[-1].end == len(text)
            assert all(a.end == b.start for a, b in zip(spans, spans[1:], strict=False))
            for span in spans:
                body = text[span.start:span.end]
                assert body.count(b'"') % 2 == 0  # never inside a quoted field
                assert span.first_line == text[:span.start].count(b"\n") + 1
                assert not span.bare_cr
            if chunk_bytes == 1:
                assert len(spans) == 20  # one per record


def test_bare_carriage_returns_are_found_even_across_blocks():
    cases = ((b"a\r\nb\r\nc\r\n", False), (b"h\nx\ry\n", True), (b"h\nx\r\ry\n", True),
             (b"h\nxy\r", False))  # a carriage return ending the file ends its last line
    for text, bare in cases:
        for block in (1, 2, 1 << 20):
            _, spans = split_text(text, 1 << 20, block)
            assert any(s.bare_cr for s in spans) == bare, (text, block)


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory):
    """A generated release with blemishes the chunk cuts must not disturb."""
    out = tmp_path_factory.mktemp("chunked")
    generate_archive(out, seed=3, accounts=80, days=12, multiline_share=0.05,
                     quote_char_share=0.05, damage_share=0.02)
    archive = out / "archive"
    tweets = next(archive.glob("*_tweets_csv_hashed.csv"))
    with tweets.open("rb") as fh:
        first_id = fh.read().split(b"\n")[1].split(b",")[0].decode()
    bad = [
        io_tweet("dup-late", "u9", "2020-01-05 10:00", "first copy"),
        io_tweet("x1", "u9", "yesterday", "bad time"),
        io_tweet("x2", "u9", "2020-01-05 10:00", "carriage\rreturn inside"),
        io_tweet(first_id, "u9", "2020-01-05 10:00", "repeats the first tweet's id"),
    ]
    with tweets.open("a", encoding="utf-8", newline="") as fh:
        fh.write(csv_text(IO_TWEETS, bad).split("\n", 1)[1])
        fh.write("short,record,only\n")
        fh.write(csv_text(IO_TWEETS, [io_tweet("dup-late", "u9", "2020-01-06 10:00",
                                               "second copy")]).split("\n", 1)[1])
    return archive


def test_chunked_load_equals_whole_load(tmp_path, big_archive):
    whole = Settings(warehouse=tmp_path / "whole.duckdb", sample_archive=tmp_path / "none")
    chunked = whole.model_copy(update={"warehouse": tmp_path / "chunked.duckdb",
                                       "load_chunk_mb": 0.02})
    [tweets_w, users_w] = pipeline.ingest([big_archive], settings=whole)
    [tweets_c, users_c] = pipeline.ingest([big_archive], settings=chunked)
    assert tweets_w["status"] == tweets_c["status"] == "loaded", tweets_c["message"]
    assert "remember" in tweets_c["timings"] and "remember" not in tweets_w["timings"]
    expected, got = dump(whole), dump(chunked)
    for table in TABLES:
        assert got[table] == expected[table], table
    quarantine = {q[2]: q for q in got["quarantine"]}
    reasons = [q[3] for q in quarantine.values()]
    assert any("duplicate tweetid" in r for r in reasons)
    assert any("unparseable tweet_time 'yesterday'" in r for r in reasons)
    assert any("Expected Number of Columns" in r for r in reasons)
    # Each quarantined record's line is where its raw text starts in the file.
    tweets = next(big_archive.glob("*_tweets_csv_hashed.csv")).read_bytes().decode()
    lines = tweets.split("\n")
    for _, line, _, _, raw in got["quarantine"]:
        assert lines[line - 1].startswith(raw.split("\n")[0][:40])
    # The bare carriage return is kept, not lost or turned into a line break.
    con = connect(chunked.warehouse_path, read_only=True, settings=chunked)
    texts = fetch_all(con, "select text from posts where post_id = 'x2'")
    con.close()
    assert texts == [("carriage\rreturn inside",)]
    # The hash taken while splitting identifies the file: loading it again is a no-op.
    again = pipeline.ingest([big_archive], settings=chunked)
    assert [r["status"] for r in again] == ["skipped", "skipped"]
    assert dump(chunked) == got


def test_chunk_files_rebuild_the_file(tmp_path, big_archive):
    tweets = next(big_archive.glob("*_tweets_csv_hashed.csv"))
    scan = scan_file(tweets, 10_000, tweets.name)
    assert len(scan.spans) > 5
    body = b""
    for path, span, placeholder in write_chunks(tweets, scan, tmp_path / "chunks"):
        # This chunk and at most the next one (written ahead, in a thread) are on disk.
        assert len(list((tmp_path / "chunks").iterdir())) <= 2
        data = path.read_bytes()
        assert data.startswith(scan.header)
        if placeholder is not None:
            data = data.replace(placeholder.encode(), b"\r")
        body += data[len(scan.header):]
        assert span.end - span.start == len(data) - len(scan.header)
    assert scan.header + body == tweets.read_bytes()
    assert not list((tmp_path / "chunks").iterdir())  # each chunk file is removed after use


def test_bare_carriage_return_in_small_and_gzipped_files_loads(tmp_path, settings):
    rows = [io_tweet("1", "u1", "2020-03-01 10:00", "one\rtwo"),
            io_tweet("2", "u1", "2020-03-01 10:01", "fine")]
    plain = tmp_path / "cr_012020_tweets_csv_hashed.csv"
    plain.write_text(csv_text(IO_TWEETS, rows), encoding="utf-8", newline="")
    packed = tmp_path / "gz" / "cr2_012020_tweets_csv_hashed.csv.gz"
    packed.parent.mkdir()
    with plain.open("rb") as src, gzip.open(packed, "wb") as dst:
        shutil.copyfileobj(src, dst)
    results = pipeline.ingest([plain, packed], settings=settings)
    assert [(r["status"], r["rows_loaded"]) for r in results] == [("loaded", 2), ("loaded", 2)]
    con = connect(settings.warehouse_path, read_only=True, settings=settings)
    texts = fetch_all(con, "select distinct text from posts where post_id = '1'")
    con.close()
    assert texts == [("one\rtwo",)]


def test_ira_file_with_bare_carriage_return_is_staged_whole(tmp_path, settings):
    path = write_ira(tmp_path / "IRAhandle_tweets_1.csv")
    text = path.read_text(encoding="utf-8").replace("Vote early!", "Vote\rearly!")
    path.write_text(text, encoding="utf-8", newline="")
    random.seed(0)
    [result] = pipeline.ingest([path], settings=settings.model_copy(
        update={"load_chunk_mb": 0.0001}))
    assert result["status"] == "loaded", result["message"]
    assert "remember" not in result["timings"]  # only the tweets layout is chunked


def test_a_chunk_failing_rolls_back_the_whole_file(tmp_path, big_archive, monkeypatch):
    from sockpuppet.errors import ArchiveError
    from sockpuppet.load import ingest

    def first_chunk_then_fail(path, scan, workdir):
        chunks = write_chunks(path, scan, workdir)
        yield next(chunks)
        raise ArchiveError("disk full (injected)")

    monkeypatch.setattr(ingest, "write_chunks", first_chunk_then_fail)
    settings = Settings(warehouse=tmp_path / "w.duckdb", sample_archive=tmp_path / "none",
                        load_chunk_mb=0.02)
    tweets = next(big_archive.glob("*_tweets_csv_hashed.csv"))
    [result] = pipeline.ingest([tweets], settings=settings)
    assert result["status"] == "failed" and "disk full (injected)" in result["message"]
    got = dump(settings)
    assert got["posts"] == got["post_entities"] == got["accounts"] == got["quarantine"] == []
    assert [row[-1] for row in got["loads"]] == ["failed"]


def test_stand_ins_are_written_block_by_block(tmp_path, monkeypatch):
    from sockpuppet.load import chunks

    monkeypatch.setattr(chunks, "BLOCK", 3)  # every CR, CRLF and stand-in straddles blocks
    body = "1,a\rb\n2,\"c\r\nd\"\r\n3,x\r\ry\n4,\ue000 taken\n5,end\r"
    path = tmp_path / "t.csv"
    path.write_bytes(("h,v\n" + body).encode())
    scan = chunks.scan_file(path, 1 << 20, "t.csv")
    assert scan.spans[0].bare_cr
    out = tmp_path / "chunk.csv"
    with path.open("rb") as source:
        source.read(len(scan.header))
        # U+E000 occurs in the data, so the next stand-in is taken.
        assert chunks._write_chunk(source, scan.spans[0], scan.header, out, "t") == "\ue001"
    text = out.read_bytes().decode()
    assert text == "h,v\n" + body.replace("\rb", "\ue001b").replace("\r\ry", "\ue001\ue001y")


def test_zip_member_is_split_while_extracted(tmp_path, big_archive):
    import zipfile

    tweets = next(big_archive.glob("*_tweets_csv_hashed.csv"))
    packed = tmp_path / "release.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(tweets, tweets.name)
    whole = Settings(warehouse=tmp_path / "whole.duckdb", sample_archive=tmp_path / "none")
    chunked = whole.model_copy(update={"warehouse": tmp_path / "chunked.duckdb",
                                       "load_chunk_mb": 0.02})
    [plain] = pipeline.ingest([tweets], settings=whole)
    [member] = pipeline.ingest([packed], settings=chunked)
    assert member["status"] == "loaded" and "remember" in member["timings"]
    assert member["sha256"] == plain["sha256"]  # the member's bytes, hashed while extracted
    expected, got = dump(whole), dump(chunked)
    for table in ("posts", "post_entities", "accounts"):
        assert got[table] == expected[table], table
    assert [q[1:] for q in got["quarantine"]] == [q[1:] for q in expected["quarantine"]]


@pytest.mark.parametrize("chunk_mb", [512, 0.0005])
def test_account_profile_takes_each_columns_latest_value(tmp_path, chunk_mb):
    """Per column, the value of the account's latest row holding one (time, then file order),
    whether the file is staged whole or in chunks of a few rows."""
    rows = [
        io_tweet("1", "u1", "2020-03-01 10:00", "a", user_screen_name="first",
                 user_profile_description="old bio", follower_count="5"),
        io_tweet("2", "u1", "2020-03-03 10:00", "b", user_screen_name="latest",
                 user_profile_description="", follower_count=""),
        io_tweet("3", "u1", "2020-03-02 10:00", "c", user_screen_name="in between",
                 user_profile_description="new bio", follower_count="7"),
        # same minute as the latest row, later in the file: it wins the tie
        io_tweet("4", "u1", "2020-03-03 10:00", "d", user_screen_name="latest, later record",
                 user_profile_description="", follower_count=""),
        io_tweet("5", "u2", "2020-03-01 10:00", "e", user_screen_name="only"),
    ] + [io_tweet(str(100 + i), "u3", "2020-03-04 10:00", "filler " * 20) for i in range(20)]
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "t_012020_tweets_csv_hashed.csv").write_text(csv_text(IO_TWEETS, rows),
                                                          encoding="utf-8")
    s = Settings(warehouse=tmp_path / "w.duckdb", sample_archive=tmp_path / "none",
                 load_chunk_mb=chunk_mb)
    [result] = pipeline.ingest([folder], settings=s)
    assert result["status"] == "loaded", result["message"]
    assert ("remember" in result["timings"]) == (chunk_mb < 1)
    con = connect(s.warehouse_path, read_only=True, settings=s)
    got = fetch_all(con, "select account_id, handle, description, follower_count from accounts "
                         "order by 1")
    con.close()
    assert got[:2] == [("u1", "latest, later record", "new bio", 7), ("u2", "only", None, 10)]
