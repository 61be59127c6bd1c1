"""A report's original bytes, found again for the review site and checked against its sha256.

Crawled documents sit in the raw store (`<db>.raw/<sha[:2]>/<sha>`); files given to
`nianbao parse` are read again from the paths they were parsed from, which may have moved or
changed since: then the source is unavailable, and the reason says why.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceBytes:
    """The document's bytes, or None with the reasons each place failed."""

    data: bytes | None
    place: str | None
    reasons: tuple[str, ...] = ()


def find_source(candidates: tuple[str, ...], sha256: str, max_bytes: int) -> SourceBytes:
    """The first candidate path holding exactly the bytes with this sha256."""
    reasons = []
    for place in candidates:
        reason = _why_not(place, sha256, max_bytes)
        if isinstance(reason, bytes):
            return SourceBytes(reason, place)
        reasons.append(reason)
    return SourceBytes(None, None, tuple(reasons))


def _why_not(place: str, sha256: str, max_bytes: int) -> bytes | str:
    """The bytes at `place` if they match, else why not (a phrase naming the place)."""
    path = Path(place)
    try:
        info = path.stat()
    except OSError as exc:
        return f"{place}: {exc.strerror or 'cannot be read'}"
    if not stat.S_ISREG(info.st_mode):
        return f"{place}: not a regular file"
    if info.st_size > max_bytes:
        return f"{place}: {info.st_size} bytes, more than the {max_bytes} allowed"
    digest = hashlib.sha256()
    chunks = []
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                chunks.append(chunk)
                digest.update(chunk)
                size += len(chunk)
                if size > max_bytes:
                    return f"{place}: grew past {max_bytes} bytes while read"
    except OSError as exc:
        return f"{place}: {exc.strerror or 'cannot be read'}"
    if digest.hexdigest() != sha256:
        return f"{place}: the file changed since it was parsed (sha256 differs)"
    return b"".join(chunks)


def candidate_places(
    sha256: str, sources: list[str], raw_root: Path | None, cwd: Path | None = None
) -> tuple[str, ...]:
    """Where the bytes may be: the raw store first, then each local path they were seen at."""
    out = []
    if raw_root is not None and len(sha256) == 64:
        out.append(str(raw_root / sha256[:2] / sha256))
    for source in sources:
        if "://" in source:
            continue
        path = Path(source)
        if not path.is_absolute() and cwd is not None:
            path = cwd / path
        out.append(os.path.normpath(path))
    return tuple(dict.fromkeys(out))
