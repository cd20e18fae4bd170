"""A killed load leaves nothing behind; a second writer gets a clear error; GX failures are named."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest
from archives import write_ira

from sockpuppet import pipeline
from sockpuppet.errors import ValidationFailed
from sockpuppet.load.validate import validate_frame, validate_staged
from sockpuppet.warehouse import WarehouseBusy, connect, fetch_all


def test_a_load_killed_inside_its_transaction_leaves_no_rows(tmp_path, settings):
    path = write_ira(tmp_path / "IRAhandle_tweets_1.csv")
    # The child loads the file but is SIGKILLed after the inserts, before the commit.
    child = textwrap.dedent(f"""
        import os, signal
        from contextlib import contextmanager
        import sockpuppet.load.ingest as ingest
        from sockpuppet.settings import Settings

        @contextmanager
        def killed_before_commit(con):
            con.execute("begin transaction")
            yield con
            assert con.execute("select count(*) from posts").fetchall()[0][0] > 0
            os.kill(os.getpid(), signal.SIGKILL)

        ingest.transaction = killed_before_commit
        from pathlib import Path
        ingest.ingest_paths([Path({str(path)!r})], "auto", Settings(warehouse={str(settings.warehouse_path)!r}))
    """)
    proc = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9, proc.stderr
    con = connect(settings.warehouse_path, settings=settings)
    try:
        assert fetch_all(con, "select count(*) from posts") == [(0,)]
        assert fetch_all(con, "select count(*) from loads where status = 'loaded'") == [(0,)]
    finally:
        con.close()
    [result] = pipeline.ingest([path], settings=settings)
    assert result["status"] == "loaded" and result["rows_loaded"] == 5


def test_a_second_writer_is_told_the_warehouse_is_busy(tmp_path, settings):
    connect(settings.warehouse_path, settings=settings).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, sys, time; c = duckdb.connect({str(settings.warehouse_path)!r}); "
         "print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseBusy, match="warehouse is busy"):
            connect(settings.warehouse_path, settings=settings)
    finally:
        holder.kill()
        holder.wait()


def test_validation_failure_names_table_expectation_and_counts():
    frame = pd.DataFrame({
        "post_id": ["1", "1", "3"], "load_id": [1, 1, 1], "account_id": ["a", None, "c"],
        "posted_at": pd.to_datetime(["2020-01-01"] * 3), "kind": ["post", "retweet", "boost"],
        "text": ["x"] * 3, "language": [None] * 3, "client": [None] * 3, "handle": [None] * 3,
        "display_name": [None] * 3, "target_post_id": [None] * 3, "target_account_id": [None] * 3,
        "target_handle": [None] * 3, "target_key": [None, "tw:1", "bad"],
    })
    failures = {(f["expectation"], f["column"]): f for f in validate_frame("posts", frame)}
    assert failures[("expect_column_values_to_be_unique", "post_id")]["unexpected_count"] == 2
    assert failures[("expect_column_values_to_not_be_null", "account_id")]["unexpected_count"] == 1
    assert failures[("expect_column_values_to_be_in_set", "kind")]["unexpected_count"] == 1
    assert failures[("expect_column_values_to_match_regex", "target_key")]["unexpected_count"] == 1
    assert ("expect_column_values_to_not_be_null", "post_id") not in failures


def test_validate_staged_raises_with_a_readable_message(settings):
    con = duckdb.connect()
    from sockpuppet.warehouse import apply_core_schema

    apply_core_schema(con)
    con.execute("create temp table staged_accounts as select * from accounts")
    con.execute("insert into staged_accounts (account_id, load_id, follower_count) values "
                "('a', 1, 5), ('a', 1, -3)")
    with pytest.raises(ValidationFailed) as err:
        validate_staged(con, "staged_accounts", "accounts", settings)
    message = str(err.value)
    assert "`accounts`" in message
    assert "expect_column_values_to_be_unique on account_id: 2 of 2 rows" in message
    assert "expect_column_values_to_be_between on follower_count: 1 of 2 rows" in message


def test_suites_exist_for_every_core_table():
    from sockpuppet.load.validate import load_suite
    from sockpuppet.warehouse import CORE_TABLES

    for table in CORE_TABLES:
        assert len(load_suite(table).expectations) >= 3


def test_uncommitted_rows_of_one_load_are_validated_and_rolled_back(settings):
    # The loader inserts a load's rows, validates them inside the transaction and commits only
    # then: a failure must name the new load's rows alone and leave the table as it was.
    con = duckdb.connect()
    from sockpuppet.warehouse import apply_core_schema, transaction

    apply_core_schema(con)
    con.execute("insert into accounts (account_id, load_id, follower_count) values ('a', 1, -1)")
    with pytest.raises(ValidationFailed) as err, transaction(con):
        con.execute("insert into accounts (account_id, load_id, follower_count) values "
                    "('a', 2, 4), ('b', 2, -3)")
        validate_staged(con, "accounts", "accounts", settings, load_id=2)
    message = str(err.value)
    assert "expect_column_values_to_be_between on follower_count: 1 of 2 rows" in message
    assert "unique" not in message  # account 'a' of load 1 is not part of load 2's check
    assert con.execute("select count(*) from accounts").fetchall() == [(1,)]
    validate_staged(con, "accounts", "accounts", settings, load_id=3)  # no rows: nothing to check
