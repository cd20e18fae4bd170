"""Guards for text written by adversaries: HTML, spreadsheet cells, XML and file names.

Everything that comes from an archive (handles, bios, tweets, even ids) is attacker-chosen.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import polars as pl

# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 forbids outright; ElementTree would write them and the file would not parse.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                   *(f"lpt{i}" for i in range(10))}


def esc(value: object) -> str:
    """HTML-escaped text of any value (None → empty) for plotly hover text, legends, labels.

    Plotly renders a subset of HTML there (<b>, <a href>, ...) and decodes &lt; &gt; &amp;
    back into plain text, so escaping those three makes any markup show as text. Quotes stay
    as they are: plotly would print &quot; literally, and without '<' no tag can open.
    """
    return "" if value is None else html.escape(str(value), quote=False)


def guard_cell(value: str | None) -> str | None:
    """Make a CSV cell a spreadsheet shows as text: formula-like cells get a leading quote."""
    if value and value.startswith(FORMULA_START):
        return "'" + value
    return value


def guard_frame(df: pl.DataFrame) -> pl.DataFrame:
    """Flatten nested columns to text and guard every text cell against formula injection."""
    out = []
    for name, dtype in df.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.List) and not dtype.inner.is_nested():
            col = col.list.eval(pl.element().cast(pl.String)).list.join("; ")
        elif isinstance(dtype, pl.Struct):
            col = col.struct.json_encode()
        elif dtype.is_nested():
            col = col.map_elements(str, return_dtype=pl.String)
        elif dtype not in (pl.String, pl.Categorical, pl.Enum):
            out.append(col)
            continue
        col = col.cast(pl.String)
        out.append(
            pl.when(col.str.contains(r"^[=+\-@\t\r]"))
            .then(pl.lit("'") + col)
            .otherwise(col)
            .alias(name)
        )
    return df.select(out)


def xml_text(value: object) -> str:
    """Text that can go into an XML attribute or element: forbidden characters dropped.

    ElementTree escapes &, <, > and quotes itself; it does not remove control characters.
    """
    return _XML_INVALID.sub("", "" if value is None else str(value))


def slugify(value: object, max_len: int = 60) -> str:
    """Make a file-name-safe, lower-case ASCII slug: letters, digits, '-' and '_' only.

    No path separators, no dots (so never '..'), never empty, never a Windows device name.
    Distinct inputs can share a slug; :func:`unique_slugs` tells them apart.
    """
    text = unicodedata.normalize("NFKD", "" if value is None else str(value))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9_]+", "-", text).strip("-_")[:max_len].strip("-_")
    if not slug or slug in _RESERVED_NAMES:
        slug = f"x-{slug}" if slug else "x"
    return slug


def unique_slugs(values: Iterable[object]) -> dict[object, str]:
    """Give each distinct value a distinct slug; a short hash of the value breaks ties."""
    result: dict[object, str] = {}
    used: set[str] = set()
    for value in dict.fromkeys(values):
        slug = slugify(value)
        if slug in used:
            digest = hashlib.sha256(str(value).encode("utf-8", "surrogatepass")).hexdigest()
            slug = f"{slug[:51]}-{digest[:8]}"
        used.add(slug)
        result[value] = slug
    return result


def safe_child(folder: Path, name: str) -> Path:
    """``folder / name``, refusing any name that would land outside ``folder``."""
    target = (folder / name).resolve()
    if target.parent != folder.resolve():
        raise ValueError(f"unsafe file name: {name!r}")
    return target


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~])")


def md_text(value: object, max_len: int = 200) -> str:
    """Archive text for Markdown: one line, markup characters backslash-escaped.

    Stops a handle such as ``![x](http://tracker/p.png)`` from becoming an image that the
    chat client fetches, or a link that looks like ours.
    """
    text = "".join(ch for ch in ("" if value is None else str(value))
                   if unicodedata.category(ch) != "Cc" or ch in "\t\n\r")
    text = " ".join(text.split())
    if len(text) > max_len:
        text = text[: max_len - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", text)
