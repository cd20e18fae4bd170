"""The SQL macros every loader shares (sql/core/macros.sql), against their plain definitions."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sockpuppet.warehouse import run_script, sql_text


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    run_script(con, sql_text("core/macros"))
    return con


def assert_norm_text_is_one_space_per_run(con: duckdb.DuckDBPyConnection, texts: list) -> None:
    """sp_norm_text squeezes every run of non-word characters to one space, as this does."""
    rows = con.execute(
        r"""
        select t, sp_norm_text(t),
            trim(regexp_replace(regexp_replace(regexp_replace(lower(coalesce(t, '')),
                '^rt @[a-z0-9_]+:?', ''), 'https?://\S+', ' ', 'g'), '[^\pL\pN#@_]+', ' ', 'g'))
        from unnest(?::varchar[]) as u(t)
        """,
        [texts],
    ).fetchall()
    assert [(t, ours) for t, ours, _ in rows] == [(t, plain) for t, _, plain in rows]


@pytest.mark.parametrize("text", [
    "RT @Some_one: Hello,  World!!", "a  b", "a \t b", " lead and trail ", "x.y", "one two",
    "#Tag @who_ see http://t.co/x?y=1 now", "emoji \U0001f600 \U0001f600x", "a\nb\r\nc",
    "", None, "__", "é—ü",
])
def test_norm_text_examples(con, text):
    assert_norm_text_is_one_space_per_run(con, [text])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=" _a\u00e9Z9.!@#:/\t\n\u00a0\u2014\U0001f600", max_size=30),
                min_size=1, max_size=20))
def test_norm_text_on_any_text(con, texts):
    assert_norm_text_is_one_space_per_run(con, texts)
