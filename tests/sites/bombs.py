"""Small inputs that expand enormously: a gzip bomb, one gzipped twice, a span bomb.

`gzip_bomb(n)` is a valid gzip stream of `n` zero bytes (n a multiple of 1 MiB), about
n/1000 bytes long, built in a fraction of a second: one MiB of zeros is deflated once with
a full flush (which makes each block independent of the ones before) and the block is
repeated. `stacked_bomb(n)` gzips that again (`Content-Encoding: gzip, gzip`): 1 GiB in
under 2 KB. `span_bomb()` is an HTML table of 3,000 cells spanning 400 rows and 64
columns each, 111 KB in all.
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


def span_bomb() -> bytes:
    """111 KB: 100 rows of 30 cells, each rowspan=400 colspan=64."""
    cell = '<td rowspan="400" colspan="64">1</td>'
    rows = "".join("<tr>" + cell * 30 + "</tr>" for _ in range(100))
    title = "<title>2023年政府信息公开工作年度报告</title>"
    return f"<html><head>{title}</head><body><table>{rows}</table></body></html>".encode()
