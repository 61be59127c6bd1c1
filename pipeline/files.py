"""Local files as documents: looked at with stat() before a byte is read.

`nianbao parse` is handed paths by people and scripts; a path can name a device
(`/dev/zero` never ends), a pipe that blocks, or a file of many gigabytes. Only regular
files are read, only up to the size a document may have, and a file's identity (its
sha256) is computed in pieces, so no path costs more memory than the size limit.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from typing import BinaryIO

from parsers.errors import SourceError

PIECE = 1024 * 1024


@dataclass(frozen=True)
class FileIdentity:
    """A file's sha256 and size, computed without holding it in memory."""

    sha256: str
    size: int


def regular_size(path: str) -> int:
    """The size of a regular file; SourceError for anything else (device, pipe, socket)."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(f"not a regular file ({_kind(info.st_mode)}); not read")
    return info.st_size


def open_regular(path: str) -> tuple[BinaryIO, int]:
    """A regular file opened for reading, and its size. stat() first, so a device is never
    opened; then fstat() on what was opened, so a file swapped in between is caught too."""
    regular_size(path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(f"not a regular file ({_kind(info.st_mode)}); not read")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), info.st_size
    except BaseException:
        os.close(fd)
        raise


def read_document_file(path: str, limit: int) -> bytes:
    """A regular file's bytes, refused unread when larger than `limit` bytes.

    Raises SourceError (not a regular file, too large) or OSError (cannot be read).
    """
    handle, size = open_regular(path)
    with handle:
        if size > limit:
            raise SourceError(_too_large(size, limit))
        data = handle.read(limit + 1)  # a file growing while we read stops at the limit
    if len(data) > limit:
        raise SourceError(_too_large(len(data), limit))
    return data


def identify_file(path: str, limit: int | None = None) -> FileIdentity | None:
    """The sha256 and size of a regular file, read piece by piece; None if it is not a
    regular file, cannot be read, or is larger than `limit` bytes."""
    digest = hashlib.sha256()
    read = 0
    try:
        handle, size = open_regular(path)
        with handle:
            if limit is not None and size > limit:
                return None
            while piece := handle.read(PIECE):
                read += len(piece)
                if limit is not None and read > limit:
                    return None
                digest.update(piece)
    except (OSError, SourceError):
        return None
    return FileIdentity(digest.hexdigest(), read)


def _too_large(size: int, limit: int) -> str:
    return f"document too large: {size / 2**20:.1f} MB (limit {limit // 2**20} MB); not read"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"
