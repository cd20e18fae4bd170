"""Finding archive files: folders, plain or gzipped CSVs, and zips (members extracted safely)."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sockpuppet.errors import ArchiveError

CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv.gz")
CHUNK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class Source:
    """One file to load: a CSV on disk, or a member of a zip."""

    path: Path
    member: str | None = None
    problem: str | None = None  # set when the source is known to be unloadable (e.g. unsafe member)
    _extracted: Path | None = field(default=None, repr=False)

    @property
    def key(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    @property
    def name(self) -> str:
        return PurePosixPath(self.member).name if self.member else self.path.name

    @property
    def release(self) -> str:
        """The release a file belongs to: its name without layout suffixes and part numbers."""
        stem = self.name
        for suffix in (".gz", ".csv", ".tsv"):
            stem = stem.removesuffix(suffix)
        for marker in ("_users_csv_hashed", "_tweets_csv_hashed"):
            if marker in stem:
                # Split releases number their parts before or after the marker:
                # iran_092020_1_tweets_csv_hashed.csv, iran_092020_tweets_csv_hashed_1.csv.
                return re.sub(r"_\d{1,3}$", "", stem.split(marker)[0])
        return stem.rstrip("_0123456789") or stem


def is_csv_name(name: str) -> bool:
    return name.lower().endswith(CSV_SUFFIXES)


def discover(paths: list[Path]) -> list[Source]:
    """Every loadable file under ``paths``, in a stable order. Missing paths are an error."""
    sources: list[Source] = []
    for given in paths:
        path = given.expanduser().resolve()
        if not path.exists():
            raise ArchiveError(f"{given}: no such file or folder")
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() == ".zip":
                sources.extend(zip_members(file))
            elif is_csv_name(file.name) or not path.is_dir():
                sources.append(Source(file))
    return sources


def unsafe_member(name: str) -> bool:
    """A zip member whose path would land outside the folder it is extracted into."""
    posix = PurePosixPath(name.replace("\\", "/"))
    return posix.is_absolute() or ".." in posix.parts or (len(name) > 1 and name[1] == ":")


def zip_members(path: Path) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except zipfile.BadZipFile as exc:
        raise ArchiveError(
            f"{path}: not a readable zip ({exc}); the download may be truncated: "
            "fetch it again and compare its size or checksum with the release's"
        ) from exc
    sources = []
    for name in sorted(names):
        if unsafe_member(name):
            sources.append(
                Source(path, name, problem=f"zip member path '{name}' escapes the archive folder; "
                       "refusing to extract it (the zip may be malicious)")
            )
        elif is_csv_name(name):
            sources.append(Source(path, name))
    return sources


def materialise(
    source: Source, workdir: Path, on_block: Callable[[bytes], None] | None = None
) -> tuple[Path, str]:
    """A path DuckDB can read for ``source`` and the sha256 of its bytes.

    Zip members are streamed to ``workdir`` (DuckDB reads plain and gzipped CSVs, not zips);
    ``on_block`` sees each extracted block (the loader splits a member while extracting it).
    """
    digest = hashlib.sha256()
    if source.member is None:
        try:
            with source.path.open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
        except OSError as exc:
            raise ArchiveError(f"{source.key}: cannot read ({exc.strerror})") from exc
        return source.path, digest.hexdigest()
    workdir.mkdir(parents=True, exist_ok=True)
    target = Path(tempfile.mkdtemp(dir=workdir)) / PurePosixPath(source.member).name
    try:
        with zipfile.ZipFile(source.path) as archive, archive.open(source.member) as src, \
                target.open("wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                if on_block is not None:
                    on_block(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
        shutil.rmtree(target.parent, ignore_errors=True)
        raise ArchiveError(
            f"{source.key}: the zip member is damaged or truncated ({exc}); "
            "fetch the archive again"
        ) from exc
    return target, digest.hexdigest()


def is_gzipped(path: Path) -> bool:
    """Whether the file starts with the gzip magic bytes (whatever its name says)."""
    with path.open("rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def open_decompressed(path: Path) -> BinaryIO:
    """The file's bytes as text CSV: gunzipped when it is gzipped."""
    return gzip.open(path, "rb") if is_gzipped(path) else path.open("rb")  # type: ignore[return-value]


def _open_text_head(path: Path) -> bytes:
    try:
        with open_decompressed(path) as fh:
            return fh.read(1 << 16)
    except (OSError, EOFError) as exc:
        raise ArchiveError(
            f"{path.name}: cannot decompress ({exc}); the file may be truncated"
        ) from exc


def read_header(path: Path, label: str) -> str:
    """The first line of a (possibly gzipped) CSV, after encoding checks a user can act on."""
    head = _open_text_head(path)
    if not head.strip():
        raise ArchiveError(f"{label}: the file is empty (no header row)")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ArchiveError(
            f"{label}: the file is UTF-16; sockpuppet reads UTF-8. Convert it with "
            f"`iconv -f UTF-16 -t UTF-8 {path.name} > fixed.csv`"
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise ArchiveError(
            f"{label}: not UTF-8 (byte 0x{head[exc.start]:02x} at offset {exc.start}); it looks "
            f"like Latin-1/Windows-1252. Convert it with "
            f"`iconv -f WINDOWS-1252 -t UTF-8 {path.name} > fixed.csv`"
        ) from exc
    return text.splitlines()[0] if text.splitlines() else text
