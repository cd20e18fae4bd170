"""Splitting a large CSV into record-aligned chunks, in the same pass that hashes it.

A file bigger than the memory DuckDB is given would be staged whole and spill to disk (a 5M-tweet
file stages to 2.6 GB of text). Cut into chunks of about ``chunk_bytes``, each chunk is staged,
checked and inserted in turn inside the file's one transaction, so memory stays bounded by the
chunk, not the file.

A cut is made only after a newline that ends a record: one where the double quotes counted from
the chunk's start are even (with ``"`` as both quote and escape, a quoted field always holds an
even number of them). Each chunk is written with the header line in front, so DuckDB reads it
like the whole file.

The same pass notes carriage returns not followed by a newline: DuckDB's strict parser stops the
whole file at one inside an unquoted field ("state machine reached an invalid state"). Chunks
holding one are written with it replaced by a private-use character the chunk does not contain;
the loader puts the carriage return back after staging, so the record loads unchanged.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from sockpuppet.errors import ArchiveError
from sockpuppet.load.sources import is_gzipped, open_decompressed

BLOCK = 4 << 20
CR, LF, QUOTE = 13, 10, 34
BARE_CR = re.compile(rb"\r(?!\n)")
# Stand-ins for a bare carriage return: private-use code points, rare in tweets.
PLACEHOLDERS = ("\ue000", "\ue001", "\ue002", "\ue003", "\uf8fe")


@dataclass
class Span:
    """One record-aligned byte range of the file, after the header."""

    start: int
    end: int
    first_line: int  # physical line of the span's first byte (header = line 1)
    bare_cr: bool = False


@dataclass
class Scan:
    """What one pass over a file learns: its sha256, header and record-aligned spans."""

    sha256: str
    header: bytes
    spans: list[Span] = field(default_factory=list)

    def whole(self) -> Scan:
        """The same file as one span (for a layout that is staged whole)."""
        if len(self.spans) < 2:
            return self
        first, last = self.spans[0], self.spans[-1]
        span = Span(first.start, last.end, first.first_line, any(s.bare_cr for s in self.spans))
        return Scan(self.sha256, self.header, [span])

    @property
    def needs_copy(self) -> bool:
        """Whether DuckDB must read rewritten chunks rather than the file itself."""
        return len(self.spans) > 1 or any(s.bare_cr for s in self.spans)


class Splitter:
    """Feeds on the file's (decompressed) bytes block by block and records the spans."""

    def __init__(self, chunk_bytes: int):
        self.chunk_bytes = chunk_bytes
        self.header = b""
        self.in_header = True
        self.offset = 0  # bytes seen so far
        self.lines = 1  # physical line at `offset`
        self.spans: list[Span] = []
        self.current: Span | None = None
        self.quotes = 0  # quotes since the current span's start
        self.last_cr = False  # the previous block ended with a carriage return

    def feed(self, block: bytes) -> None:
        if self.in_header:
            cut = block.find(b"\n")
            if cut < 0:
                self.header += block
                self.offset += len(block)
                return
            self.header += block[: cut + 1]
            self.in_header = False
            self.lines = 2
            self.offset += cut + 1
            self.current = Span(self.offset, self.offset, 2)
            block = block[cut + 1:]
        self._scan(block)

    def _scan(self, block: bytes) -> None:
        span = self.current
        assert span is not None
        raw = np.frombuffer(block, np.uint8)
        crs = np.flatnonzero(raw == CR)
        inner = crs[crs + 1 < len(raw)]  # one ending the block is judged with the next block
        bare = [self.offset + int(i) for i in inner[raw[inner + 1] != LF]]
        if self.last_cr and block[:1] != b"\n":
            bare.append(self.offset - 1)
        self.last_cr = block.endswith(b"\r")
        base = self.offset
        pos = 0
        while base + len(block) - span.start >= self.chunk_bytes:
            # Cut at the first record end at or after the chunk size.
            target = max(pos, span.start + self.chunk_bytes - base)
            cut = self._record_end(block, pos, target)
            if cut is None:
                break
            span.end = base + cut + 1
            self.lines += int(np.count_nonzero(raw[pos: cut + 1] == LF))
            self.spans.append(span)
            span = self.current = Span(span.end, span.end, self.lines)
            self.quotes = 0
            pos = cut + 1
        rest = raw[pos:]
        self.quotes += int(np.count_nonzero(rest == QUOTE))
        self.lines += int(np.count_nonzero(rest == LF))
        self.offset = base + len(block)
        span.end = self.offset
        for at in bare:  # mark the span each one falls in (few: a damaged file's)
            for earlier in (span, *reversed(self.spans)):
                if earlier.start <= at < earlier.end:
                    earlier.bare_cr = True
                    break

    def _record_end(self, block: bytes, pos: int, target: int) -> int | None:
        """The first newline at or after ``target`` that ends a record, or None."""
        quotes = self.quotes + block.count(b'"', pos, target)
        at = target
        while (nl := block.find(b"\n", at)) >= 0:
            quotes += block.count(b'"', at, nl)
            if quotes % 2 == 0:
                return nl
            at = nl + 1
        return None

    def finish(self) -> tuple[bytes, list[Span]]:
        if self.current is not None and self.current.end > self.current.start:
            self.spans.append(self.current)
        return self.header, self.spans


def scan_file(path: Path, chunk_bytes: int, label: str) -> Scan:
    """Hash ``path`` (its bytes as stored) and split its (decompressed) records into spans."""
    digest = hashlib.sha256()
    splitter = Splitter(chunk_bytes)
    try:
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if is_gzipped(path) else None
        with path.open("rb") as fh:
            # sha256 releases the GIL: one block is hashed in a thread while it is split.
            with ThreadPoolExecutor(1) as hasher:
                while block := fh.read(BLOCK):
                    hashing = hasher.submit(digest.update, block)
                    if inflate is None:
                        splitter.feed(block)
                    else:
                        splitter.feed(inflate.decompress(block))
                        while inflate.eof and inflate.unused_data:  # a multi-member gzip
                            rest = inflate.unused_data
                            inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
                            splitter.feed(inflate.decompress(rest))
                    hashing.result()
            if inflate is not None:
                splitter.feed(inflate.flush())
                if not inflate.eof:
                    raise ArchiveError(
                        f"{label}: the gzip stream ends early; the file is truncated. "
                        "Fetch it again and compare its size or checksum with the release's"
                    )
    except zlib.error as exc:
        raise ArchiveError(f"{label}: cannot decompress ({exc}); the file may be damaged") from exc
    except OSError as exc:
        raise ArchiveError(f"{label}: cannot read ({exc.strerror})") from exc
    header, spans = splitter.finish()
    return Scan(digest.hexdigest(), header, spans)


def write_chunks(path: Path, scan: Scan, workdir: Path) -> Iterator[tuple[Path, Span, str | None]]:
    """Yield each span's CSV file DuckDB can read (header first), the span and its CR stand-in.

    The file is read in order, block by block, and none of it is held in memory. The next
    chunk is written in a thread while the caller loads this one (the copy is kernel time on
    one core, DuckDB's work rarely fills both), so two chunks are on disk at a time at most;
    each is deleted once the caller is done with it.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    spans = scan.spans
    with open_decompressed(path) as source, ThreadPoolExecutor(1) as writer:
        source.read(len(scan.header))

        def write(i: int) -> tuple[Path, str | None]:
            target = workdir / f"chunk-{i:05d}.csv"
            return target, _write_chunk(source, spans[i], scan.header, target, path.name)

        ahead = writer.submit(write, 0) if spans else None
        for i, span in enumerate(spans):
            assert ahead is not None
            target, placeholder = ahead.result()
            ahead = writer.submit(write, i + 1) if i + 1 < len(spans) else None
            try:
                yield target, span, placeholder
            finally:
                target.unlink(missing_ok=True)


def _write_chunk(source: BinaryIO, span: Span, header: bytes, target: Path, label: str
                 ) -> str | None:
    """Copy ``span`` from ``source`` (positioned at its start) to ``target``; the CR stand-in."""
    candidates = list(PLACEHOLDERS) if span.bare_cr else [None]
    for placeholder in candidates:
        with target.open("wb") as out:
            out.write(header)
            if _copy(source, out, span.end - span.start, placeholder):
                return placeholder
        source.seek(span.start)  # the stand-in occurs in the data: again with the next one
    raise ArchiveError(
        f"{label}: carriage returns inside unquoted fields after line {span.first_line}, and "
        "no stand-in character is free; quote those fields or remove the carriage returns")


def _copy(source: BinaryIO, out: BinaryIO, length: int, placeholder: str | None) -> bool:
    """Copy ``length`` bytes, bare carriage returns replaced by ``placeholder`` if given.

    False when the placeholder itself occurs in the data (the copy is then unusable).
    """
    stand_in = placeholder.encode() if placeholder else b""
    carry = b""  # a block's last bytes, judged with the next block
    while length > 0 and (block := source.read(min(BLOCK, length))):
        length -= len(block)
        if not stand_in:
            out.write(block)
            continue
        data = carry + block
        if stand_in in data:
            return False
        # Hold back a trailing CR (its LF may open the next block) and a partial stand-in.
        keep = 1 if data.endswith(b"\r") and length > 0 else 0
        keep = max(keep, min(len(stand_in) - 1, len(data)) if length > 0 else 0)
        body, carry = (data[:-keep], data[-keep:]) if keep else (data, b"")
        out.write(_stand_in(body, stand_in, ends=length <= 0))
    if carry:
        out.write(_stand_in(carry, stand_in, ends=True))
    return True


def _stand_in(data: bytes, stand_in: bytes, ends: bool) -> bytes:
    """``data`` with its bare CRs replaced; at the end of the data a CR ends the last line."""
    if ends and data.endswith(b"\r"):
        return BARE_CR.sub(stand_in, data[:-1]) + b"\r"
    return BARE_CR.sub(stand_in, data)
