"""Guards for adversarial text: file names, spreadsheet cells, XML, Markdown."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sockpuppet.publish.safety import (
    esc,
    guard_cell,
    guard_frame,
    md_text,
    safe_child,
    slugify,
    unique_slugs,
    xml_text,
)


@given(st.text())
def test_slug_is_always_a_plain_file_name(value):
    slug = slugify(value)
    assert slug and len(slug) <= 60
    assert all(c.isascii() and (c.isalnum() or c in "-_") for c in slug)
    assert slug not in (".", "..") and "/" not in slug and "\\" not in slug


@pytest.mark.parametrize(
    ("value", "slug"),
    [("C0001", "c0001"), ("../../etc/passwd", "etc-passwd"), ("..", "x"), ("", "x"),
     ("con", "x-con"), ("Ünïcode cluster", "unicode-cluster"), ("a\\b/c", "a-b-c")],
)
def test_slug_examples(value, slug):
    assert slugify(value) == slug


def test_unique_slugs_tell_collisions_apart():
    slugs = unique_slugs(["a b", "a-b", "A/B", "a b"])
    assert len(slugs) == 3 and len(set(slugs.values())) == 3


def test_safe_child_refuses_escapes(tmp_path: Path):
    assert safe_child(tmp_path, "ok.csv") == (tmp_path / "ok.csv").resolve()
    for bad in ("../x.csv", "a/b.csv", "/etc/passwd", ".."):
        with pytest.raises(ValueError):
            safe_child(tmp_path, bad)


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_cells_get_a_quote(cell):
    assert guard_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "", None, "a=b", "1-2"])
def test_other_cells_untouched(cell):
    assert guard_cell(cell) == cell


def test_guard_frame_flattens_and_guards_lists_but_not_numbers():
    df = pl.DataFrame({"s": ["=x", "ok"], "l": [["@a", "b"], []], "n": [-1, 2]})
    out = guard_frame(df)
    assert out["s"].to_list() == ["'=x", "ok"]
    assert out["l"].to_list() == ["'@a; b", ""]
    assert out["n"].to_list() == [-1, 2]


def test_xml_text_drops_forbidden_characters():
    el = ET.Element("n", label=xml_text("bell\x07<&>\x00\ud800"))
    assert ET.fromstring(ET.tostring(el)).get("label") == "bell<&>"


def test_esc_escapes_markup_for_plotly():
    assert esc('<script>alert("x")</script>') == '&lt;script&gt;alert("x")&lt;/script&gt;'
    assert esc(None) == ""


def test_md_text_neutralises_markdown():
    out = md_text("![x](http://tracker/p.png)\n# head\x07")
    assert "![" not in out and "](" not in out and "\n" not in out and "\x07" not in out
    assert out.startswith("\\!\\[x\\]")
