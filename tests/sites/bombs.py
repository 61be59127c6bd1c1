"""Compressed bodies that expand enormously: a gzip bomb, and one gzipped twice.

`gzip_bomb(n)` is a valid gzip stream of `n` zero bytes (n a multiple of 1 MiB), about
n/1000 bytes long, built in a fraction of a second: one MiB of zeros is deflated once with
a full flush (which makes each block independent of the ones before) and the block is
repeated. `stacked_bomb(n)` gzips that again (`Content-Encoding: gzip, gzip`): 1 GiB in
under 2 KB.
"""

from __future__ import annotations

import functools
import gzip
import struct
import zlib

MIB = 1024 * 1024


@functools.cache
def gzip_bomb(size: int) -> bytes:
    if size % MIB:
        raise ValueError("size must be a multiple of 1 MiB")
    zeros = bytes(MIB)
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflater.compress(zeros) + deflater.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // MIB):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    final = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush(zlib.Z_FINISH)
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + block * (size // MIB) + final + trailer


@functools.cache
def stacked_bomb(size: int) -> bytes:
    return gzip.compress(gzip_bomb(size), compresslevel=9)
