"""Content-Encoding undone under a size cap: decoded bytes are counted as they come out.

A compressed body is read as the server sent it (raw bytes) and inflated here at most
`piece` bytes at a time, so the fetcher can stop at its cap having held no more than the
cap: a 2 KB gzip body that would expand to a gigabyte costs a few megabytes, not the
gigabyte (an HTTP library that inflates each network chunk whole cannot promise that).

RFC 9110 §8.4 lets a sender apply several codings in turn (`Content-Encoding: gzip, gzip`).
No server of a report needs that, and every extra layer multiplies the expansion, so a body
is accepted with at most one coding, and only one we ask for (`ACCEPT_ENCODING`).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from pipeline.errors import FetchError

# What we send as Accept-Encoding: exactly the codings `BodyDecoder` can undo.
ACCEPT_ENCODING = "gzip, deflate"
GZIP_WBITS = 16 + zlib.MAX_WBITS
# The codings we undo, by their token (RFC 9110 §8.4.1; x-gzip is gzip's old alias).
CODINGS = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}
DEFAULT_PIECE = 64 * 1024


class ContentCodingError(FetchError):
    """The body's Content-Encoding is refused, or its bytes do not decode."""


def codings_of(header: str | None) -> list[str]:
    """The codings a Content-Encoding header names, lowercased, `identity` left out."""
    if not header:
        return []
    names = (token.strip().lower() for token in header.split(","))
    return [name for name in names if name and name != "identity"]


class BodyDecoder:
    """Undoes one response's Content-Encoding, yielding decoded pieces of bounded size.

    Raises ContentCodingError when built for stacked or unknown codings, and when the bytes
    are not what the coding says.
    """

    def __init__(self, content_encoding: str | None, piece: int = DEFAULT_PIECE) -> None:
        names = codings_of(content_encoding)
        if len(names) > 1:
            raise ContentCodingError(
                f"stacked Content-Encoding {content_encoding!r} refused "
                "(a body may carry one coding)"
            )
        if names and names[0] not in CODINGS:
            raise ContentCodingError(
                f"Content-Encoding {names[0]!r} not supported (we ask for {ACCEPT_ENCODING})"
            )
        self.coding = CODINGS[names[0]] if names else None
        self.piece = piece
        self._inflater = self._new_inflater()
        self._first = True

    def _new_inflater(self) -> zlib._Decompress | None:
        if self.coding == "gzip":
            return zlib.decompressobj(GZIP_WBITS)
        if self.coding == "deflate":
            return zlib.decompressobj()
        return None

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decoded pieces (each at most `piece` bytes) of the next raw bytes."""
        if self._inflater is None:
            for start in range(0, len(data), self.piece):
                yield data[start : start + self.piece]
            return
        first, self._first = self._first, False
        try:
            yield from self._inflate(data)
        except zlib.error as exc:
            if not (first and self.coding == "deflate"):
                raise ContentCodingError(f"undecodable {self.coding} body: {exc}") from None
            # "deflate" is often sent raw, without its zlib wrapper (RFC 9110 §8.4.1.2).
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                yield from self._inflate(data)
            except zlib.error as again:
                raise ContentCodingError(f"undecodable deflate body: {again}") from None

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        inflater = self._inflater
        assert inflater is not None
        while True:
            out = inflater.decompress(data, self.piece)
            data = inflater.unconsumed_tail
            if out:
                yield out
            if inflater.eof:
                rest = inflater.unused_data
                if self.coding != "gzip" or not rest.strip(b"\0"):
                    return
                # Another gzip member follows (RFC 1952 §2.2): decode it as well.
                inflater = self._inflater = zlib.decompressobj(GZIP_WBITS)
                data = rest
                continue
            if not data and len(out) < self.piece:
                return
